// wpa_supplicant D-Bus enrollee; see supplicant_enrollee.h. GErrors become
// Errors in FromGError only; signals become Events in supplicant_signals.cc.
#include "wps/supplicant_enrollee.h"

#include <utility>

#include "common/handle.h"
#include "common/log.h"
#include "wps/supplicant_signals.h"

namespace cupswps::wps {
namespace {

constexpr char kService[] = "fi.w1.wpa_supplicant1";
constexpr char kRootPath[] = "/fi/w1/wpa_supplicant1";
constexpr char kRootInterface[] = "fi.w1.wpa_supplicant1";
constexpr char kInterface[] = "fi.w1.wpa_supplicant1.Interface";
constexpr char kWpsInterface[] = "fi.w1.wpa_supplicant1.Interface.WPS";

using VariantPtr = CPtr<GVariant, g_variant_unref>;

// The one place where a GError becomes an Error. The code says what kind of
// trouble it is; callers, who know what they were doing, write the sentence.
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
    if (name != nullptr && std::string_view(name) == "fi.w1.wpa_supplicant1.InterfaceUnknown") {
      out.code = ErrorCode::kNotFound;
    }
    g_free(name);
  }
  return out;
}

// "01:80:c2:00:00:03" -> ay, or nullptr.
GVariant* BssidBytes(const std::string& bssid) {
  const std::string mac = NormalizeMac(bssid);
  if (mac.empty()) return nullptr;
  guint8 bytes[6];
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<guint8>(std::stoi(mac.substr(static_cast<std::size_t>(i) * 3, 2), nullptr, 16));
  }
  return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, bytes, 6, 1);
}

}  // namespace

struct SupplicantEnrollee::Call {
  SupplicantEnrollee* self;
  Then then;
  std::string what;
};

SupplicantEnrollee::SupplicantEnrollee(GMainContext* context, Options options)
    : context_(context), options_(std::move(options)), poster_(context) {}

SupplicantEnrollee::~SupplicantEnrollee() {
  owner_watch_.reset();
  wps_signals_.reset();
  eap_signals_.reset();
  removed_watch_.reset();
  if (arming_) g_cancellable_cancel(arming_->get());
  g_cancellable_cancel(life_.get());
  if (connection_ != nullptr) g_object_unref(connection_);
}

std::string SupplicantEnrollee::Describe() const { return "wpa_supplicant on " + options_.ifname; }

void SupplicantEnrollee::Emit(Event event) {
  if (!disarming_ && sink_) sink_(event);
}

void SupplicantEnrollee::EmitError(EventKind kind, ErrorCode code, std::string message, const Error* cause) {
  Event e;
  e.kind = kind;
  e.error = Error{code, std::move(message), cause != nullptr ? cause->detail : ""};
  Emit(std::move(e));
}

void SupplicantEnrollee::OnCallDone(GObject* source, GAsyncResult* result, gpointer data) {
  std::unique_ptr<Call> call(static_cast<Call*>(data));
  GError* raw = nullptr;
  VariantPtr reply(g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &raw));
  if (raw != nullptr && g_error_matches(raw, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_error_free(raw);  // the driver may be gone: touch nothing
    return;
  }
  Guarded("wpa_supplicant call", [&] {
    if (raw != nullptr) {
      const Error error = FromGError(raw, call->what);
      call->then(nullptr, &error);
    } else {
      call->then(reply.get(), nullptr);
    }
  });
  if (raw != nullptr) g_error_free(raw);
}

void SupplicantEnrollee::CallMethod(const char* path, const char* interface, const char* method, GVariant* params,
                                    const GVariantType* reply_type, GCancellable* cancellable, Then then) {
  log::Debug("wpa_supplicant <- " + std::string(method));
  ThreadDefaultContext on(context_);
  g_dbus_connection_call(connection_, kService, path, interface, method, params, reply_type,
                         G_DBUS_CALL_FLAGS_NO_AUTO_START, options_.call_timeout_ms, cancellable, &OnCallDone,
                         new Call{this, std::move(then), method});
}

void SupplicantEnrollee::Arm(const Arming& arming, EventSink sink) {
  sink_ = std::move(sink);
  method_ = arming.method;
  if (arming.pin != nullptr) pin_.str().assign(arming.pin->digits());
  arming_ = std::make_unique<CancellableGuard>();
  ThreadDefaultContext on(context_);
  g_bus_get(options_.bus, arming_->get(), &OnBusReady, this);
}

void SupplicantEnrollee::OnBusReady(GObject*, GAsyncResult* result, gpointer data) {
  GError* raw = nullptr;
  GDBusConnection* connection = g_bus_get_finish(result, &raw);
  if (raw != nullptr && g_error_matches(raw, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_error_free(raw);
    return;
  }
  auto* self = static_cast<SupplicantEnrollee*>(data);
  Guarded("D-Bus connection", [&] {
    if (connection == nullptr) {
      const Error error = FromGError(raw, "connect to the system bus");
      self->EmitError(EventKind::kUnavailable, ErrorCode::kWpsNoDaemon,
                      "Cannot reach the D-Bus system bus, so wpa_supplicant cannot be asked to pair.", &error);
      return;
    }
    self->OnBus(connection);
  });
  if (raw != nullptr) g_error_free(raw);
}

void SupplicantEnrollee::OnSignalThunk(GDBusConnection*, const gchar*, const gchar*, const gchar* interface,
                                       const gchar* member, GVariant* params, gpointer data) {
  auto* self = static_cast<SupplicantEnrollee*>(data);
  Guarded("wpa_supplicant signal", [&] { self->OnSignal(interface, member, params); });
}

void SupplicantEnrollee::OnBus(GDBusConnection* connection) {
  connection_ = connection;  // owned
  ThreadDefaultContext on(context_);
  // Watch for the daemon going away before asking it anything.
  owner_watch_ = SignalSubscription(
      connection_, g_dbus_connection_signal_subscribe(connection_, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                                      "NameOwnerChanged", "/org/freedesktop/DBus", kService,
                                                      G_DBUS_SIGNAL_FLAGS_NONE, &OnSignalThunk, this, nullptr));
  CallMethod(kRootPath, kRootInterface, "GetInterface", g_variant_new("(s)", options_.ifname.c_str()),
             G_VARIANT_TYPE("(o)"), arming_->get(), [this](GVariant* reply, const Error* error) {
               if (reply != nullptr) {
                 const gchar* path = nullptr;
                 g_variant_get(reply, "(&o)", &path);
                 UseInterface(path);
                 return;
               }
               if (error->code != ErrorCode::kNotFound) {
                 EmitError(EventKind::kUnavailable, ErrorCode::kWpsNoDaemon,
                           "wpa_supplicant is not running (not on the D-Bus system bus); start it and try again.",
                           error);
                 return;
               }
               // Nobody manages the interface yet: let wpa_supplicant take it.
               GVariantBuilder args;
               g_variant_builder_init(&args, G_VARIANT_TYPE_VARDICT);
               g_variant_builder_add(&args, "{sv}", "Ifname", g_variant_new_string(options_.ifname.c_str()));
               // With life_, not arming_: an interface created after a Disarm
               // must still be removed again.
               CallMethod(kRootPath, kRootInterface, "CreateInterface", g_variant_new("(a{sv})", &args),
                          G_VARIANT_TYPE("(o)"), life_.get(), [this](GVariant* created, const Error* why) {
                            if (created != nullptr && disarming_) {
                              const gchar* path = nullptr;
                              g_variant_get(created, "(&o)", &path);
                              CallMethod(kRootPath, kRootInterface, "RemoveInterface", g_variant_new("(o)", path),
                                         nullptr, life_.get(), [](GVariant*, const Error*) {});
                              return;
                            }
                            if (disarming_) return;
                            if (created == nullptr) {
                              EmitError(EventKind::kUnavailable, ErrorCode::kWpsNoDaemon,
                                        "wpa_supplicant cannot use the interface " + options_.ifname +
                                            "; check its name (ip link).",
                                        why);
                              return;
                            }
                            created_ = true;
                            const gchar* path = nullptr;
                            g_variant_get(created, "(&o)", &path);
                            UseInterface(path);
                          });
             });
}

void SupplicantEnrollee::UseInterface(std::string path) {
  path_ = std::move(path);
  log::Debug("wpa_supplicant interface " + options_.ifname + " is " + path_);
  {
    ThreadDefaultContext on(context_);
    wps_signals_ = SignalSubscription(
        connection_, g_dbus_connection_signal_subscribe(connection_, kService, kWpsInterface, nullptr, path_.c_str(),
                                                        nullptr, G_DBUS_SIGNAL_FLAGS_NONE, &OnSignalThunk, this,
                                                        nullptr));
    eap_signals_ = SignalSubscription(
        connection_, g_dbus_connection_signal_subscribe(connection_, kService, kInterface, "EAP", path_.c_str(),
                                                        nullptr, G_DBUS_SIGNAL_FLAGS_NONE, &OnSignalThunk, this,
                                                        nullptr));
    removed_watch_ = SignalSubscription(
        connection_, g_dbus_connection_signal_subscribe(connection_, kService, kRootInterface, "InterfaceRemoved",
                                                        kRootPath, nullptr, G_DBUS_SIGNAL_FLAGS_NONE,
                                                        &OnSignalThunk, this, nullptr));
  }
  // A run someone else left going would answer our Start with "busy".
  CallMethod(path_.c_str(), kWpsInterface, "Cancel", nullptr, nullptr, arming_->get(),
             [this](GVariant*, const Error*) {
               CallMethod(path_.c_str(), "org.freedesktop.DBus.Properties", "Set",
                          g_variant_new("(ssv)", kWpsInterface, "ProcessCredentials", g_variant_new_boolean(TRUE)),
                          nullptr, arming_->get(), [this](GVariant*, const Error* error) {
                            if (error != nullptr) {
                              EmitError(EventKind::kRefused, ErrorCode::kWpsRefused,
                                        "wpa_supplicant would not hand over the network settings it receives "
                                        "(ProcessCredentials); check its D-Bus policy.",
                                        error);
                              return;
                            }
                            StartWps();
                          });
             });
}

void SupplicantEnrollee::StartWps() {
  GVariantBuilder args;
  g_variant_builder_init(&args, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add(&args, "{sv}", "Role",
                        g_variant_new_string(options_.learn_with_ap_pin ? "registrar" : "enrollee"));
  g_variant_builder_add(&args, "{sv}", "Type", g_variant_new_string(method_ == Method::kPin ? "pin" : "pbc"));
  if (method_ == Method::kPin) {
    // GDBus copies the PIN into its message buffers, which we cannot wipe;
    // ours is wiped right after.
    g_variant_builder_add(&args, "{sv}", "Pin", g_variant_new_string(pin_.str().c_str()));
  }
  if (GVariant* bssid = BssidBytes(options_.bssid)) g_variant_builder_add(&args, "{sv}", "Bssid", bssid);
  start_sent_ = true;
  CallMethod(path_.c_str(), kWpsInterface, "Start", g_variant_new("(a{sv})", &args), G_VARIANT_TYPE("(a{sv})"),
             arming_->get(), [this](GVariant* reply, const Error* error) {
               if (reply == nullptr) {
                 EmitError(EventKind::kRefused, ErrorCode::kWpsRefused,
                           "wpa_supplicant refused to start WPS on " + options_.ifname + ".", error);
                 return;
               }
               Event e;
               e.kind = EventKind::kArmed;
               e.name = "WPS.Start";
               Emit(std::move(e));
             });
  Wipe(pin_.str());
}

void SupplicantEnrollee::OnSignal(const char* interface, const char* member, GVariant* params) {
  const std::string_view iface = interface != nullptr ? interface : "";
  const std::string_view name = member != nullptr ? member : "";
  if (name == "NameOwnerChanged" && g_variant_is_of_type(params, G_VARIANT_TYPE("(sss)"))) {
    const gchar *service = nullptr, *old_owner = nullptr, *new_owner = nullptr;
    g_variant_get(params, "(&s&s&s)", &service, &old_owner, &new_owner);
    if (new_owner == nullptr || *new_owner == '\0') {
      EmitError(EventKind::kGone, ErrorCode::kWpsDaemonGone,
                "wpa_supplicant went away during pairing; start it again and retry.", nullptr);
    }
  } else if (name == "InterfaceRemoved" && g_variant_is_of_type(params, G_VARIANT_TYPE("(o)"))) {
    const gchar* removed = nullptr;
    g_variant_get(params, "(&o)", &removed);
    if (removed != nullptr && path_ == removed) {
      EmitError(EventKind::kGone, ErrorCode::kWpsDaemonGone,
                "The interface " + options_.ifname + " was removed from wpa_supplicant during pairing.", nullptr);
    }
  } else if (iface == kInterface && name == "EAP" && g_variant_is_of_type(params, G_VARIANT_TYPE("(ss)"))) {
    const gchar *status = nullptr, *parameter = nullptr;
    g_variant_get(params, "(&s&s)", &status, &parameter);
    if (std::string_view(status) == "started") {
      Event e;
      e.kind = EventKind::kExchanging;
      e.name = "EAP started";
      Emit(std::move(e));
    }
  } else if (iface == kWpsInterface && name == "Event" && g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv})"))) {
    const gchar* event_name = nullptr;
    GVariant* args = nullptr;
    g_variant_get(params, "(&s@a{sv})", &event_name, &args);
    VariantPtr args_owner(args);
    Emit(ParseSupplicantEvent(event_name, args));
  } else if (iface == kWpsInterface && name == "Credentials" && g_variant_is_of_type(params, G_VARIANT_TYPE("(a{sv})"))) {
    GVariant* dict = nullptr;
    g_variant_get(params, "(@a{sv})", &dict);
    VariantPtr dict_owner(dict);
    Emit(ParseCredentials(dict));
    if (options_.learn_with_ap_pin) {
      // As a registrar that only learns, wpa_supplicant ends the exchange with
      // a NACK after receiving the settings: those are the success.
      Event e;
      e.kind = EventKind::kSuccess;
      e.name = "settings learned";
      Emit(std::move(e));
    }
  }
}

void SupplicantEnrollee::Disarm(bool run_succeeded, std::function<void()> done) {
  disarming_ = true;
  if (arming_) g_cancellable_cancel(arming_->get());  // steps not yet taken are not taken
  wps_signals_.reset();
  eap_signals_.reset();
  owner_watch_.reset();
  removed_watch_.reset();
  Wipe(pin_.str());
  auto shared_done = std::make_shared<std::function<void()>>(std::move(done));
  auto finish = [this, shared_done, run_succeeded] {
    if (created_ && !run_succeeded) {
      // We took the interface for this run only.
      CallMethod(kRootPath, kRootInterface, "RemoveInterface", g_variant_new("(o)", path_.c_str()), nullptr,
                 life_.get(), [shared_done](GVariant*, const Error*) { (*shared_done)(); });
      return;
    }
    poster_.Post([shared_done] { (*shared_done)(); });
  };
  if (connection_ == nullptr || path_.empty()) {
    poster_.Post([shared_done] { (*shared_done)(); });
    return;
  }
  if (!start_sent_ || run_succeeded) {
    // After a success the supplicant is connecting with the new settings; a
    // Cancel now would tear that connection down.
    finish();
    return;
  }
  // Start may still be on its way; the bus keeps our messages in order, so
  // this Cancel comes after it.
  CallMethod(path_.c_str(), kWpsInterface, "Cancel", nullptr, nullptr, life_.get(),
             [finish](GVariant*, const Error* error) {
               if (error != nullptr) log::Debug("WPS.Cancel: " + error->detail);
               finish();
             });
}

}  // namespace cupswps::wps
