// SPDX-License-Identifier: Apache-2.0
// Asynchronous D-Bus calls; see dbus_caller.h.
#include "wps/dbus_caller.h"

#include <utility>

#include "common/log.h"

namespace cupswps::wps {

Error FromGError(const GError* e, std::string_view what) {
  Error out;
  out.detail = std::string(what) + ": " + (e != nullptr ? e->message : "unknown error");
  out.code = ErrorCode::kWpsRefused;
  if (e == nullptr) return out;
  if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    out.code = ErrorCode::kCancelled;
  } else if (g_error_matches(e, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
             g_error_matches(e, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
             g_error_matches(e, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
             g_error_matches(e, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
             g_error_matches(e, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
             g_error_matches(e, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) || e->domain == G_IO_ERROR) {
    out.code = ErrorCode::kWpsNoDaemon;
  } else if (g_dbus_error_is_remote_error(e)) {
    gchar* name = g_dbus_error_get_remote_error(e);
    const std::string_view n = name != nullptr ? name : "";
    if (n == "fi.w1.wpa_supplicant1.InterfaceUnknown" || n == "org.freedesktop.NetworkManager.UnknownDevice" ||
        n == "org.freedesktop.network1.NoSuchLink") {
      out.code = ErrorCode::kNotFound;
    }
    g_free(name);
  }
  return out;
}

struct DbusCaller::Pending {
  Then then;
  std::string what;
};

DbusCaller::DbusCaller(GMainContext* context, std::string service, GBusType bus, int timeout_ms)
    : context_(context), service_(std::move(service)), bus_(bus), timeout_ms_(timeout_ms), poster_(context) {}

DbusCaller::~DbusCaller() {
  g_cancellable_cancel(life_.get());
  if (connection_ != nullptr) g_object_unref(connection_);
}

void DbusCaller::Connect(std::function<void(const Error*)> then) {
  if (connection_ != nullptr || connect_error_) {
    // Never from inside the caller's own call.
    poster_.Post([this, then = std::move(then)] { then(connect_error_.get()); });
    return;
  }
  waiting_.push_back(std::move(then));
  if (connecting_) return;
  connecting_ = true;
  ThreadDefaultContext on(context_);
  g_bus_get(bus_, life_.get(), &OnBusReady, this);
}

void DbusCaller::OnBusReady(GObject*, GAsyncResult* result, gpointer data) {
  GError* raw = nullptr;
  GDBusConnection* connection = g_bus_get_finish(result, &raw);
  if (raw != nullptr && g_error_matches(raw, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_error_free(raw);
    return;  // the caller is gone
  }
  auto* self = static_cast<DbusCaller*>(data);
  self->connecting_ = false;
  if (connection != nullptr) {
    self->connection_ = connection;  // owned
  } else {
    self->connect_error_ = std::make_unique<Error>(FromGError(raw, "connect to the D-Bus bus"));
    self->connect_error_->code = ErrorCode::kWpsNoDaemon;
  }
  if (raw != nullptr) g_error_free(raw);
  // Each waiter may start calls (which then go out at once) or drop the caller.
  std::vector<std::function<void(const Error*)>> waiting = std::move(self->waiting_);
  GCancellable* life = G_CANCELLABLE(g_object_ref(self->life_.get()));
  for (auto& fn : waiting) {
    if (g_cancellable_is_cancelled(life)) break;
    Guarded("D-Bus connection", [&] { fn(self->connect_error_.get()); });
  }
  g_object_unref(life);
}

void DbusCaller::OnCallDone(GObject* source, GAsyncResult* result, gpointer data) {
  std::unique_ptr<Pending> call(static_cast<Pending*>(data));
  GError* raw = nullptr;
  VariantPtr reply(g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &raw));
  if (raw != nullptr && g_error_matches(raw, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_error_free(raw);  // the owner may be gone: touch nothing
    return;
  }
  Guarded("D-Bus call", [&] {
    if (raw != nullptr) {
      const Error error = FromGError(raw, call->what);
      call->then(nullptr, &error);
    } else {
      call->then(reply.get(), nullptr);
    }
  });
  if (raw != nullptr) g_error_free(raw);
}

void DbusCaller::Call(const std::string& path, const char* interface, const char* method, GVariant* params,
                      const GVariantType* reply_type, Then then, GCancellable* cancellable) {
  // Kept until the call goes out, which may be once the bus is connected.
  std::shared_ptr<GVariant> args(params != nullptr ? g_variant_ref_sink(params) : nullptr, [](GVariant* v) {
    if (v != nullptr) g_variant_unref(v);
  });
  std::shared_ptr<GVariantType> type(reply_type != nullptr ? g_variant_type_copy(reply_type) : nullptr,
                                     [](GVariantType* t) {
                                       if (t != nullptr) g_variant_type_free(t);
                                     });
  std::shared_ptr<GCancellable> own(cancellable != nullptr ? G_CANCELLABLE(g_object_ref(cancellable)) : nullptr,
                                    [](GCancellable* c) {
                                      if (c != nullptr) g_object_unref(c);
                                    });
  auto go = [this, path, interface, method, args, type, own, then = std::move(then)](const Error* not_connected) {
    if (not_connected != nullptr) return then(nullptr, not_connected);
    if (own && g_cancellable_is_cancelled(own.get())) return;
    log::Debug(service_ + " <- " + method);
    ThreadDefaultContext on(context_);
    // A call is cancelled by the caller's end, or by its own cancellable.
    g_dbus_connection_call(connection_, service_.c_str(), path.c_str(), interface, method,
                           args ? g_variant_ref(args.get()) : nullptr, type.get(), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                           timeout_ms_, own ? own.get() : life_.get(), &OnCallDone,
                           new Pending{then, service_ + " " + method});
  };
  if (connection_ != nullptr) return go(nullptr);
  Connect(std::move(go));
}

void DbusCaller::Get(const std::string& path, const char* interface, const char* property, Then then,
                     GCancellable* cancellable) {
  Call(path, "org.freedesktop.DBus.Properties", "Get", g_variant_new("(ss)", interface, property),
       G_VARIANT_TYPE("(v)"),
       [then = std::move(then)](GVariant* reply, const Error* error) {
         if (reply == nullptr) return then(nullptr, error);
         VariantPtr value;
         {
           GVariant* v = nullptr;
           g_variant_get(reply, "(v)", &v);
           value.reset(v);
         }
         then(value.get(), nullptr);
       },
       cancellable);
}

void DbusCaller::Set(const std::string& path, const char* interface, const char* property, GVariant* value,
                     Then then, GCancellable* cancellable) {
  Call(path, "org.freedesktop.DBus.Properties", "Set", g_variant_new("(ssv)", interface, property, value), nullptr,
       std::move(then), cancellable);
}

SignalSubscription DbusCaller::Subscribe(const char* sender, const char* interface, const char* member,
                                         const char* path, const char* arg0, OnSignal fn) {
  if (connection_ == nullptr) return {};
  ThreadDefaultContext on(context_);
  const guint id = g_dbus_connection_signal_subscribe(
      connection_, sender != nullptr ? sender : service_.c_str(), interface, member, path, arg0,
      G_DBUS_SIGNAL_FLAGS_NONE,
      +[](GDBusConnection*, const gchar*, const gchar* signal_path, const gchar* signal_interface,
          const gchar* signal_member, GVariant* params, gpointer data) {
        Guarded("D-Bus signal",
                [&] { (*static_cast<OnSignal*>(data))(signal_path, signal_interface, signal_member, params); });
      },
      new OnSignal(std::move(fn)), +[](gpointer data) { delete static_cast<OnSignal*>(data); });
  return SignalSubscription(connection_, id);
}

}  // namespace cupswps::wps
