// SPDX-License-Identifier: Apache-2.0
// Asynchronous D-Bus method calls and signal subscriptions to one service
// (wpa_supplicant, NetworkManager, iwd, systemd-networkd), with GDBus on one
// GMainContext. Shared by every wps/ driver and client that speaks D-Bus:
// - the bus connection is made on first use; calls made before it is there
//   wait for it, and all get its error if it cannot be made;
// - every completion checks for cancellation first and then touches nothing
//   (its owner may be gone), and runs inside Guarded;
// - a GError becomes an Error in FromGError only.
// Never pass a secret to a Call's `what`: it goes to the debug log.
#pragma once

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/glib.h"
#include "common/handle.h"
#include "common/result.h"

namespace cupswps::wps {

using VariantPtr = CPtr<GVariant, g_variant_unref>;

// The one place where a GError becomes an Error. The code says what kind of
// trouble it is (kWpsNoDaemon: the service is not there or does not answer;
// kNotFound: it does not know the interface or device; kCancelled; else
// kWpsRefused); callers, who know what they were doing, write the sentence.
Error FromGError(const GError* e, std::string_view what);

class DbusCaller {
 public:
  // `reply` is borrowed (nullptr after an error); exactly one of the two is set.
  using Then = std::function<void(GVariant* reply, const Error* error)>;
  using OnSignal = std::function<void(const char* path, const char* interface, const char* member, GVariant* params)>;

  // `context` (nullptr: the default one) must outlive the caller.
  DbusCaller(GMainContext* context, std::string service, GBusType bus = G_BUS_TYPE_SYSTEM, int timeout_ms = 5000);
  ~DbusCaller();  // what is in flight completes as cancelled: no callback runs after
  DbusCaller(const DbusCaller&) = delete;
  DbusCaller& operator=(const DbusCaller&) = delete;

  const std::string& service() const { return service_; }

  // Calls `method`; `params` (floating) is consumed. `cancellable` (nullptr:
  // only the caller's own) cancels this call: `then` is then not called.
  // `what` names the call in the debug log and in the error's detail.
  void Call(const std::string& path, const char* interface, const char* method, GVariant* params,
            const GVariantType* reply_type, Then then, GCancellable* cancellable = nullptr);
  // Properties: `then` gets the value itself (Get) or an empty reply (Set).
  void Get(const std::string& path, const char* interface, const char* property, Then then,
           GCancellable* cancellable = nullptr);
  void Set(const std::string& path, const char* interface, const char* property, GVariant* value, Then then,
           GCancellable* cancellable = nullptr);
  // Connects (once; calls connect by themselves): `then` gets nullptr or why not.
  void Connect(std::function<void(const Error*)> then);
  // A signal from `sender` (nullptr: the service) on `path` (nullptr: any);
  // `fn` runs on the context for as long as the returned guard lives. Only
  // once connected (Connect, or any call that completed): else an empty guard.
  SignalSubscription Subscribe(const char* sender, const char* interface, const char* member, const char* path,
                               const char* arg0, OnSignal fn);

 private:
  struct Pending;
  static void OnBusReady(GObject* source, GAsyncResult* result, gpointer data);
  static void OnCallDone(GObject* source, GAsyncResult* result, gpointer data);

  GMainContext* context_;
  std::string service_;
  GBusType bus_;
  int timeout_ms_;
  GDBusConnection* connection_ = nullptr;
  bool connecting_ = false;
  std::unique_ptr<Error> connect_error_;
  std::vector<std::function<void(const Error*)>> waiting_;
  CancellableGuard life_;
  Poster poster_;
};

}  // namespace cupswps::wps
