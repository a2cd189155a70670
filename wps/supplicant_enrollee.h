// SPDX-License-Identifier: Apache-2.0
// WpsEnrollee over wpa_supplicant's D-Bus API (fi.w1.wpa_supplicant1), with
// GDBus on a GLib main context, in the order NetworkManager uses: find (or
// create) the interface, subscribe to WPS.Event/WPS.Credentials, cancel a
// stale run, set ProcessCredentials to false for the run, then WPS.Start
// {Role, Type, Pin, Bssid}. With ProcessCredentials false wpa_supplicant
// still sends the Credentials signal (it carries the key, which goes on in
// the event's ReceivedNetwork) but neither adds nor joins the network, nor
// writes it into its configuration file (update_config): whoever manages the
// interface joins it (wps/network_handover.h). Disarm calls WPS.Cancel when
// the run did not succeed, and puts the interface's credential processing
// back as it was (WpsCredProcessing, read before). Every async completion
// checks for cancellation before it touches the driver.
//
// While the run waits for the access point, each scan that ends (ScanDone)
// with the interface idle (State disconnected or inactive) is followed by
// one we ask for (Interface.Scan, active, AllowRoam: its results go through
// network selection, where the WPS network is). Seen over the air with
// NetworkManager: it scans a disconnected device every few seconds with
// AllowRoam false; when such a request is rejected because a scan is under
// way, wpa_supplicant 2.10 has already marked the results of the next scan
// "scan-only" (wpas_dbus_handler_scan sets scan_res_handler first), so its
// own WPS scan is thrown away, and it asks for no other: the run then found
// nothing for its whole 120 s.
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
#include <optional>
#include <string>

#include "common/glib.h"
#include "wps/dbus_caller.h"
#include "wps/enrollee.h"
#include "wps/secret.h"

namespace cupswps::wps {

class SupplicantEnrollee final : public WpsEnrollee {
 public:
  struct Options {
    std::string ifname;             // the Wi-Fi interface, e.g. wlan0
    std::string bssid;              // the printer's access point, "" for any
    bool learn_with_ap_pin = false;  // see above
    // Whether an interface wpa_supplicant does not have yet may be handed to
    // it for the run (not when NetworkManager manages it: it may use iwd).
    bool may_create_interface = true;
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
  void OnBus();
  void CreateInterface();
  void UseInterface(std::string path);
  void TakeCredentials();
  void StartWps();
  void OnScanDone();
  void RestoreProcessing(std::function<void()> then);
  void OnSignal(const char* interface, const char* member, GVariant* params);
  void Emit(Event event);
  void EmitError(EventKind kind, ErrorCode code, std::string message, const Error* cause);

  Options options_;
  EventSink sink_;
  Method method_ = Method::kPushButton;
  SecretString pin_;  // held from Arm until WPS.Start went out
  std::string path_;  // our interface's object path
  bool created_ = false;     // we created the interface (and remove it after a failure)
  bool start_sent_ = false;
  bool disarming_ = false;
  bool seeking_ = false;     // armed, no EAP exchange yet: scans are asked for
  // The interface's WpsCredProcessing before the run ("0": the default), and
  // whether ProcessCredentials=false went out (then it is put back).
  std::optional<std::string> processing_before_;
  bool processing_changed_ = false;
  std::unique_ptr<CancellableGuard> arming_;  // the arming steps; cancelled by Disarm
  SignalSubscription owner_watch_, wps_signals_, eap_signals_, removed_watch_, scan_signals_;
  Poster poster_;
  DbusCaller bus_;  // last: its completions use the members above
};

}  // namespace cupswps::wps
