// SPDX-License-Identifier: Apache-2.0
// NetworkManager over GDBus; see gdbus_network_manager_client.h.
#include "wps/gdbus_network_manager_client.h"

#include <map>
#include <memory>
#include <utility>

#include "common/log.h"

namespace cupswps::wps {
namespace {

constexpr char kService[] = "org.freedesktop.NetworkManager";
constexpr char kManagerPath[] = "/org/freedesktop/NetworkManager";
constexpr char kManager[] = "org.freedesktop.NetworkManager";
constexpr char kDevice[] = "org.freedesktop.NetworkManager.Device";
constexpr char kActive[] = "org.freedesktop.NetworkManager.Connection.Active";
constexpr guint32 kDeviceTypeWifi = 2;
constexpr guint32 kStateDisconnected = 30;  // NM_DEVICE_STATE_DISCONNECTED; lower ones are idle too
// NMActiveConnectionState
constexpr guint32 kActiveActivated = 2;
constexpr guint32 kActiveDeactivated = 4;

// NMActiveConnectionStateReason, as NetworkManager 1.42 names them.
std::string ReasonName(guint32 reason) {
  static const char* const kNames[] = {"unknown", "none", "user-disconnected", "device-disconnected",
                                       "service-stopped", "ip-config-invalid", "connect-timeout",
                                       "service-start-timeout", "service-start-failed", "no-secrets",
                                       "login-failed", "connection-removed", "dependency-failed",
                                       "device-realize-failed", "device-removed"};
  return reason < std::size(kNames) ? kNames[reason] : "reason " + std::to_string(reason);
}

std::string Path(GVariant* dict, const char* key) {
  const gchar* path = nullptr;
  if (dict == nullptr || !g_variant_lookup(dict, key, "&o", &path) || path == nullptr) return {};
  return std::string_view(path) == "/" ? std::string() : std::string(path);
}

// The detail of an error, as an Error with an empty message (the handover
// writes the sentence).
Error Plain(const Error& e) { return Error{e.code, "", e.detail}; }

}  // namespace

// Deactivations waiting for their device to be disconnected, activations
// waiting for their active connection to be activated.
struct StateWaits {
  struct Wait {
    NetworkManagerClient::Done done;
    SignalSubscription changed;
    SourceGuard limit;
  };
  std::map<int, Wait> waits;
  int next = 0;
};

GdbusNetworkManagerClient::GdbusNetworkManagerClient(GMainContext* context, Options options)
    : context_(context),
      options_(options),
      poster_(context),
      bus_(context, kService, options.bus, options.call_timeout_ms) {}

void GdbusNetworkManagerClient::FindDevice(const std::string& ifname,
                                           std::function<void(Result<NetworkManagerDevice>)> done) {
  bus_.Call(kManagerPath, kManager, "GetDeviceByIpIface", g_variant_new("(s)", ifname.c_str()),
            G_VARIANT_TYPE("(o)"), [this, done](GVariant* reply, const Error* error) {
              if (reply == nullptr) {
                // Any answer but "no such service" means: no device of that name.
                Error e = Plain(*error);
                if (e.code != ErrorCode::kWpsNoDaemon) e.code = ErrorCode::kNotFound;
                return done(e);
              }
              const gchar* path = nullptr;
              g_variant_get(reply, "(&o)", &path);
              NetworkManagerDevice device;
              device.path = path;
              ReadDevice(std::move(device), done);
            });
}

void GdbusNetworkManagerClient::ReadDevice(NetworkManagerDevice device,
                                           std::function<void(Result<NetworkManagerDevice>)> done) {
  const std::string path = device.path;
  bus_.Call(path, "org.freedesktop.DBus.Properties", "GetAll", g_variant_new("(s)", kDevice),
            G_VARIANT_TYPE("(a{sv})"), [this, device, done](GVariant* reply, const Error* error) mutable {
              if (reply == nullptr) return done(Plain(*error));
              VariantPtr props(g_variant_get_child_value(reply, 0));
              gboolean managed = FALSE, autoconnect = TRUE;
              guint32 type = 0;
              g_variant_lookup(props.get(), "Managed", "b", &managed);
              g_variant_lookup(props.get(), "Autoconnect", "b", &autoconnect);
              g_variant_lookup(props.get(), "DeviceType", "u", &type);
              device.managed = managed != FALSE;
              device.autoconnect = autoconnect != FALSE;
              device.wifi = type == kDeviceTypeWifi;
              device.active = Path(props.get(), "ActiveConnection");
              bus_.Get(kManagerPath, kManager, "Version", [this, device, done](GVariant* version, const Error*) mutable {
                if (version != nullptr && g_variant_is_of_type(version, G_VARIANT_TYPE_STRING)) {
                  device.version = g_variant_get_string(version, nullptr);
                }
                ReadActive(std::move(device), done);
              });
            });
}

void GdbusNetworkManagerClient::ReadActive(NetworkManagerDevice device,
                                           std::function<void(Result<NetworkManagerDevice>)> done) {
  if (device.active.empty()) return done(std::move(device));
  const std::string active = device.active;
  bus_.Call(active, "org.freedesktop.DBus.Properties", "GetAll", g_variant_new("(s)", kActive),
            G_VARIANT_TYPE("(a{sv})"), [device, done](GVariant* reply, const Error* error) mutable {
              if (reply != nullptr) {
                VariantPtr props(g_variant_get_child_value(reply, 0));
                device.active_connection = Path(props.get(), "Connection");
                const gchar* id = nullptr;
                if (g_variant_lookup(props.get(), "Id", "&s", &id) && id != nullptr) device.active_id = id;
              } else {
                // Gone meanwhile: nothing to take down or bring back.
                log::Debug("active connection " + device.active + ": " + error->detail);
                device.active.clear();
              }
              done(std::move(device));
            });
}

void GdbusNetworkManagerClient::SetAutoconnect(const std::string& device, bool on, Done done) {
  bus_.Set(device, kDevice, "Autoconnect", g_variant_new_boolean(on ? TRUE : FALSE),
           [done](GVariant*, const Error* error) { done(error != nullptr ? Status(Plain(*error)) : Status()); });
}

// A new wait: `finish` ends it once (from the loop, never from inside a
// signal or timer callback, which the end of the wait destroys).
std::function<void(Status)> GdbusNetworkManagerClient::NewWait(Done done, int* id) {
  if (!waits_) waits_ = std::make_shared<StateWaits>();
  *id = waits_->next++;
  waits_->waits[*id].done = std::move(done);
  std::weak_ptr<StateWaits> weak = waits_;
  return [this, weak, id = *id](Status s) {
    poster_.Post([weak, id, s] {
      auto waits = weak.lock();
      if (!waits) return;
      auto it = waits->waits.find(id);
      if (it == waits->waits.end()) return;
      Done d = std::move(it->second.done);
      waits->waits.erase(it);
      d(s);
    });
  };
}

void GdbusNetworkManagerClient::Deactivate(const std::string& active, const std::string& device, Done done) {
  int id = 0;
  auto finish = NewWait(std::move(done), &id);
  StateWaits::Wait& wait = waits_->waits[id];
  // Subscribed before asking, so that the change cannot slip past.
  wait.changed = bus_.Subscribe(nullptr, kDevice, "StateChanged", device.c_str(), nullptr,
                                [finish](const char*, const char*, const char*, GVariant* params) {
                                  guint32 state = 0, old = 0, reason = 0;
                                  if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(uuu)"))) return;
                                  g_variant_get(params, "(uuu)", &state, &old, &reason);
                                  if (state <= kStateDisconnected) finish(Status());
                                });
  wait.limit = ScheduleOnce(context_, options_.disconnect_limit, [finish, device] {
    log::Debug("NetworkManager did not report " + device + " disconnected in time; going on");
    finish(Status());
  });
  bus_.Call(kManagerPath, kManager, "DeactivateConnection", g_variant_new("(o)", active.c_str()), nullptr,
            [this, device, finish](GVariant*, const Error* error) {
              if (error != nullptr) return finish(Plain(*error));
              bus_.Get(device, kDevice, "State", [finish](GVariant* state, const Error*) {
                if (state != nullptr && g_variant_is_of_type(state, G_VARIANT_TYPE_UINT32) &&
                    g_variant_get_uint32(state) <= kStateDisconnected) {
                  finish(Status());
                }
              });
            });
}

void GdbusNetworkManagerClient::WaitActivated(const std::string& active, Done done) {
  int id = 0;
  auto finish = NewWait(std::move(done), &id);
  StateWaits::Wait& wait = waits_->waits[id];
  auto state_is = [finish, active](guint32 state, guint32 reason) {
    if (state == kActiveActivated) return finish(Status());
    if (state == kActiveDeactivated) {
      log::Debug("NetworkManager deactivated " + active);
      finish(Error{ErrorCode::kNotFound, "", ReasonName(reason)});
    }
  };
  // Subscribed before reading the state, so that no change slips past.
  wait.changed = bus_.Subscribe(nullptr, kActive, "StateChanged", active.c_str(), nullptr,
                                [state_is](const char*, const char*, const char*, GVariant* params) {
                                  guint32 state = 0, reason = 0;
                                  if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(uu)"))) return;
                                  g_variant_get(params, "(uu)", &state, &reason);
                                  state_is(state, reason);
                                });
  wait.limit = ScheduleOnce(context_, options_.activate_limit, [finish, active, this] {
    finish(Error{ErrorCode::kTimeout, "",
                 "not activated within " + std::to_string(options_.activate_limit.count() / 1000) + " s"});
  });
  bus_.Get(active, kActive, "State", [state_is, finish, active](GVariant* state, const Error* error) {
    if (state != nullptr && g_variant_is_of_type(state, G_VARIANT_TYPE_UINT32)) {
      return state_is(g_variant_get_uint32(state), 0);
    }
    // Gone already: NetworkManager removes an active connection that failed.
    if (error != nullptr) {
      log::Debug(active + ": " + error->detail);
      finish(Error{ErrorCode::kNotFound, "", "it gave up"});
    }
  });
}

void GdbusNetworkManagerClient::Activate(const std::string& connection, const std::string& device, Done done) {
  bus_.Call(kManagerPath, kManager, "ActivateConnection",
            g_variant_new("(ooo)", connection.c_str(), device.c_str(), "/"), G_VARIANT_TYPE("(o)"),
            [this, done](GVariant* reply, const Error* error) {
              if (reply == nullptr) return done(Plain(*error));
              const gchar* active = nullptr;
              g_variant_get(reply, "(&o)", &active);
              WaitActivated(active, done);
            });
}

void GdbusNetworkManagerClient::AddAndActivate(VariantPtr settings, const std::string& device, VariantPtr options,
                                               std::function<void(Result<std::string>)> done) {
  // Never logged: the settings carry the key.
  bus_.Call(kManagerPath, kManager, "AddAndActivateConnection2",
            g_variant_new("(@a{sa{sv}}o@o@a{sv})", settings.get(), device.c_str(), g_variant_new_object_path("/"),
                          options.get()),
            G_VARIANT_TYPE("(ooa{sv})"), [done](GVariant* reply, const Error* error) {
              if (reply == nullptr) return done(Plain(*error));
              const gchar *path = nullptr, *active = nullptr;
              g_variant_get(reply, "(&o&o@a{sv})", &path, &active, nullptr);
              done(std::string(active));
            });
}

}  // namespace cupswps::wps
