// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant D-Bus enrollee; see supplicant_enrollee.h. Calls go through
// DbusCaller (dbus_caller.h); signals become Events in supplicant_signals.cc.
#include "wps/supplicant_enrollee.h"

#include <utility>

#include "common/log.h"
#include "wps/supplicant_signals.h"

namespace cupswps::wps {
namespace {

constexpr char kService[] = "fi.w1.wpa_supplicant1";
constexpr char kRootPath[] = "/fi/w1/wpa_supplicant1";
constexpr char kRootInterface[] = "fi.w1.wpa_supplicant1";
constexpr char kInterface[] = "fi.w1.wpa_supplicant1.Interface";
constexpr char kWpsInterface[] = "fi.w1.wpa_supplicant1.Interface.WPS";

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

SupplicantEnrollee::SupplicantEnrollee(GMainContext* context, Options options)
    : options_(std::move(options)),
      poster_(context),
      bus_(context, kService, options_.bus, options_.call_timeout_ms) {}

SupplicantEnrollee::~SupplicantEnrollee() {
  owner_watch_.reset();
  wps_signals_.reset();
  eap_signals_.reset();
  removed_watch_.reset();
  scan_signals_.reset();
  if (arming_) g_cancellable_cancel(arming_->get());
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

void SupplicantEnrollee::Arm(const Arming& arming, EventSink sink) {
  sink_ = std::move(sink);
  method_ = arming.method;
  if (arming.pin != nullptr) pin_.str().assign(arming.pin->digits());
  arming_ = std::make_unique<CancellableGuard>();
  bus_.Connect([this](const Error* error) {
    if (g_cancellable_is_cancelled(arming_->get())) return;
    if (error != nullptr) {
      EmitError(EventKind::kUnavailable, ErrorCode::kWpsNoDaemon,
                "Cannot reach the D-Bus system bus, so wpa_supplicant cannot be asked to pair.", error);
      return;
    }
    OnBus();
  });
}

void SupplicantEnrollee::OnBus() {
  auto on_signal = [this](const char*, const char* interface, const char* member, GVariant* params) {
    OnSignal(interface, member, params);
  };
  // Watch for the daemon going away before asking it anything.
  owner_watch_ = bus_.Subscribe("org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
                                "/org/freedesktop/DBus", kService, on_signal);
  bus_.Call(kRootPath, kRootInterface, "GetInterface", g_variant_new("(s)", options_.ifname.c_str()),
            G_VARIANT_TYPE("(o)"),
            [this](GVariant* reply, const Error* error) {
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
              if (!options_.may_create_interface) {
                EmitError(EventKind::kUnavailable, ErrorCode::kWpsNoDaemon,
                          "wpa_supplicant does not manage " + options_.ifname +
                              " (NetworkManager may use iwd for it), so it cannot be asked to pair.",
                          error);
                return;
              }
              CreateInterface();
            },
            arming_->get());
}

void SupplicantEnrollee::CreateInterface() {
  // Nobody manages the interface yet: let wpa_supplicant take it.
  GVariantBuilder args;
  g_variant_builder_init(&args, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add(&args, "{sv}", "Ifname", g_variant_new_string(options_.ifname.c_str()));
  // Not with arming_: an interface created after a Disarm must still be
  // removed again.
  bus_.Call(kRootPath, kRootInterface, "CreateInterface", g_variant_new("(a{sv})", &args), G_VARIANT_TYPE("(o)"),
            [this](GVariant* created, const Error* why) {
              if (created != nullptr && disarming_) {
                const gchar* path = nullptr;
                g_variant_get(created, "(&o)", &path);
                bus_.Call(kRootPath, kRootInterface, "RemoveInterface", g_variant_new("(o)", path), nullptr,
                          [](GVariant*, const Error*) {});
                return;
              }
              if (disarming_) return;
              if (created == nullptr) {
                EmitError(EventKind::kUnavailable, ErrorCode::kWpsNoDaemon,
                          "wpa_supplicant cannot use the interface " + options_.ifname + "; check its name (ip link).",
                          why);
                return;
              }
              created_ = true;
              const gchar* path = nullptr;
              g_variant_get(created, "(&o)", &path);
              UseInterface(path);
            });
}

void SupplicantEnrollee::UseInterface(std::string path) {
  path_ = std::move(path);
  log::Debug("wpa_supplicant interface " + options_.ifname + " is " + path_);
  auto on_signal = [this](const char*, const char* interface, const char* member, GVariant* params) {
    OnSignal(interface, member, params);
  };
  wps_signals_ = bus_.Subscribe(nullptr, kWpsInterface, nullptr, path_.c_str(), nullptr, on_signal);
  eap_signals_ = bus_.Subscribe(nullptr, kInterface, "EAP", path_.c_str(), nullptr, on_signal);
  scan_signals_ = bus_.Subscribe(nullptr, kInterface, "ScanDone", path_.c_str(), nullptr, on_signal);
  removed_watch_ = bus_.Subscribe(nullptr, kRootInterface, "InterfaceRemoved", kRootPath, nullptr, on_signal);
  // A run someone else left going would answer our Start with "busy".
  bus_.Call(path_, kWpsInterface, "Cancel", nullptr, nullptr,
            [this](GVariant*, const Error*) {
              // What to put back afterwards ("0", wpa_supplicant's default, or
              // what someone set); an older wpa_supplicant may not say.
              bus_.Get(path_, kInterface, "WpsCredProcessing",
                       [this](GVariant* value, const Error*) {
                         if (value != nullptr && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
                           processing_before_ = g_variant_get_string(value, nullptr);
                         }
                         TakeCredentials();
                       },
                       arming_->get());
            },
            arming_->get());
}

void SupplicantEnrollee::TakeCredentials() {
  processing_changed_ = true;
  bus_.Set(path_, kWpsInterface, "ProcessCredentials", g_variant_new_boolean(FALSE),
           [this](GVariant*, const Error* error) {
             if (error != nullptr) {
               EmitError(EventKind::kRefused, ErrorCode::kWpsRefused,
                         "wpa_supplicant would not hand over the network settings it receives "
                         "(ProcessCredentials); check its D-Bus policy.",
                         error);
               return;
             }
             StartWps();
           },
           arming_->get());
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
  bus_.Call(path_, kWpsInterface, "Start", g_variant_new("(a{sv})", &args), G_VARIANT_TYPE("(a{sv})"),
            [this](GVariant* reply, const Error* error) {
              if (reply == nullptr) {
                EmitError(EventKind::kRefused, ErrorCode::kWpsRefused,
                          "wpa_supplicant refused to start WPS on " + options_.ifname + ".", error);
                return;
              }
              seeking_ = true;
              Event e;
              e.kind = EventKind::kArmed;
              e.name = "WPS.Start";
              Emit(std::move(e));
            },
            arming_->get());
  Wipe(pin_.str());
}

void SupplicantEnrollee::OnScanDone() {
  // See the header. Only while idle: no scan of ours goes off-channel
  // during an association or the EAP exchange.
  bus_.Get(path_, kInterface, "State",
           [this](GVariant* state, const Error*) {
             if (!seeking_ || state == nullptr || !g_variant_is_of_type(state, G_VARIANT_TYPE_STRING)) return;
             const std::string_view s = g_variant_get_string(state, nullptr);
             if (s != "disconnected" && s != "inactive") return;
             GVariantBuilder args;
             g_variant_builder_init(&args, G_VARIANT_TYPE_VARDICT);
             g_variant_builder_add(&args, "{sv}", "Type", g_variant_new_string("active"));
             bus_.Call(path_, kInterface, "Scan", g_variant_new("(a{sv})", &args), nullptr,
                       [](GVariant*, const Error* error) {
                         // "Scan request rejected": one is under way; the next ScanDone tries again.
                         if (error != nullptr) log::Debug("Interface.Scan: " + error->detail);
                       },
                       arming_->get());
           },
           arming_->get());
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
  } else if (iface == kInterface && name == "ScanDone") {
    if (seeking_) OnScanDone();
  } else if (iface == kInterface && name == "EAP" && g_variant_is_of_type(params, G_VARIANT_TYPE("(ss)"))) {
    const gchar *status = nullptr, *parameter = nullptr;
    g_variant_get(params, "(&s&s)", &status, &parameter);
    if (std::string_view(status) == "started") {
      seeking_ = false;
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

void SupplicantEnrollee::RestoreProcessing(std::function<void()> then) {
  if (!processing_changed_ || path_.empty()) return then();
  processing_changed_ = false;
  auto done = [then](GVariant*, const Error* error) {
    if (error != nullptr) log::Debug("putting back WpsCredProcessing: " + error->detail);
    then();
  };
  if (processing_before_) {
    bus_.Set(path_, kInterface, "WpsCredProcessing", g_variant_new_string(processing_before_->c_str()), done);
  } else {
    // Not known: wpa_supplicant's own handling of received networks.
    bus_.Set(path_, kWpsInterface, "ProcessCredentials", g_variant_new_boolean(TRUE), done);
  }
}

void SupplicantEnrollee::Disarm(bool run_succeeded, std::function<void()> done) {
  disarming_ = true;
  seeking_ = false;
  if (arming_) g_cancellable_cancel(arming_->get());  // steps not yet taken are not taken
  wps_signals_.reset();
  eap_signals_.reset();
  scan_signals_.reset();
  owner_watch_.reset();
  removed_watch_.reset();
  Wipe(pin_.str());
  auto shared_done = std::make_shared<std::function<void()>>(std::move(done));
  auto finish = [this, shared_done, run_succeeded] {
    RestoreProcessing([this, shared_done, run_succeeded] {
      if (created_ && !run_succeeded) {
        // We took the interface for this run only.
        bus_.Call(kRootPath, kRootInterface, "RemoveInterface", g_variant_new("(o)", path_.c_str()), nullptr,
                  [shared_done](GVariant*, const Error*) { (*shared_done)(); });
        return;
      }
      poster_.Post([shared_done] { (*shared_done)(); });
    });
  };
  if (path_.empty()) {
    poster_.Post([shared_done] { (*shared_done)(); });
    return;
  }
  if (!start_sent_ || run_succeeded) {
    // After a success the supplicant ends the run by itself; a Cancel now
    // would cut off what follows it.
    finish();
    return;
  }
  // Start may still be on its way; the bus keeps our messages in order, so
  // this Cancel comes after it.
  bus_.Call(path_, kWpsInterface, "Cancel", nullptr, nullptr, [finish](GVariant*, const Error* error) {
    if (error != nullptr) log::Debug("WPS.Cancel: " + error->detail);
    finish();
  });
}

}  // namespace cupswps::wps
