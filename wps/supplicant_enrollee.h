// WpsEnrollee over wpa_supplicant's D-Bus API (fi.w1.wpa_supplicant1), with
// GDBus on a GLib main context, in the order NetworkManager uses: find (or
// create) the interface, subscribe to WPS.Event/WPS.Credentials, cancel a
// stale run, set ProcessCredentials (else no Credentials signal comes), then
// WPS.Start {Role, Type, Pin, Bssid}. Disarm calls WPS.Cancel. Every async
// completion checks for cancellation before it touches the driver.
//
// Two roles:
// - enrollee (default): this host enrolls into the printer's network with
//   push button or a PIN (one the printer shows, or one we generated and the
//   user typed into the printer);
// - learn_with_ap_pin: the PIN is the printer's access-point PIN (from its
//   label or display); this host acts as an external registrar to learn the
//   network's settings (Role=registrar). Receiving them is the success.
#pragma once

#include <gio/gio.h>

#include <memory>
#include <string>

#include "wps/enrollee.h"
#include "common/glib.h"
#include "wps/secret.h"

namespace cupswps::wps {

class SupplicantEnrollee final : public WpsEnrollee {
 public:
  struct Options {
    std::string ifname;             // the Wi-Fi interface, e.g. wlan0
    std::string bssid;              // the printer's access point, "" for any
    bool learn_with_ap_pin = false;  // see above
    GBusType bus = G_BUS_TYPE_SYSTEM;
    int call_timeout_ms = 5000;
  };
  // `context` (nullptr: the default one) must outlive the enrollee.
  SupplicantEnrollee(GMainContext* context, Options options);
  ~SupplicantEnrollee() override;

  std::string Describe() const override;
  void Arm(const Arming& arming, EventSink sink) override;
  void Disarm(bool run_succeeded, std::function<void()> done) override;

 private:
  struct Call;
  using Then = std::function<void(GVariant* reply, const Error* error)>;
  void CallMethod(const char* path, const char* interface, const char* method, GVariant* params,
                  const GVariantType* reply_type, GCancellable* cancellable, Then then);
  void OnBus(GDBusConnection* connection);
  void UseInterface(std::string path);
  void StartWps();
  void OnSignal(const char* interface, const char* member, GVariant* params);
  void Emit(Event event);
  void EmitError(EventKind kind, ErrorCode code, std::string message, const Error* cause);
  static void OnBusReady(GObject* source, GAsyncResult* result, gpointer data);
  static void OnCallDone(GObject* source, GAsyncResult* result, gpointer data);
  static void OnSignalThunk(GDBusConnection*, const gchar*, const gchar*, const gchar* interface, const gchar* member,
                            GVariant* params, gpointer data);

  GMainContext* context_;
  Options options_;
  EventSink sink_;
  Method method_ = Method::kPushButton;
  SecretString pin_;  // held from Arm until WPS.Start went out
  GDBusConnection* connection_ = nullptr;
  std::string path_;  // our interface's object path
  bool created_ = false;     // we created the interface (and remove it after a failure)
  bool start_sent_ = false;
  bool disarming_ = false;
  std::unique_ptr<CancellableGuard> arming_;  // the arming steps; cancelled by Disarm
  CancellableGuard life_;                     // everything; cancelled by the destructor
  SignalSubscription owner_watch_, wps_signals_, eap_signals_, removed_watch_;
  Poster poster_;
};

}  // namespace cupswps::wps
