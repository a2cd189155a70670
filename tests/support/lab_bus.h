// SPDX-License-Identifier: Apache-2.0
// The lab's own D-Bus system bus, seen from a test: calls, properties, the
// call log of a python-dbusmock stand-in (GetMethodCalls), and waits for a
// signal. Used by the tests of this host's Wi-Fi managers
// (enrollee_network_integration_test.cc).
#pragma once

#include <gio/gio.h>

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cupswps::testing {

inline constexpr char kNm[] = "org.freedesktop.NetworkManager";
inline constexpr char kNmPath[] = "/org/freedesktop/NetworkManager";
inline constexpr char kDevice[] = "org.freedesktop.NetworkManager.Device";

struct VariantDeleter {
  void operator()(GVariant* v) const { g_variant_unref(v); }
};
using Variant = std::unique_ptr<GVariant, VariantDeleter>;

// ws's own D-Bus system bus (the lab's), reached through its socket.
class LabBus {
 public:
  explicit LabBus(const std::string& lab_dir) {
    GError* error = nullptr;
    const std::string address = "unix:path=" + lab_dir + "/ws/dbus/socket";
    bus_ = g_dbus_connection_new_for_address_sync(
        address.c_str(), static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
        nullptr, nullptr, &error);
    if (bus_ == nullptr) {
      const std::string why = error->message;
      g_error_free(error);
      throw std::runtime_error("cannot reach the lab's bus: " + why);
    }
  }
  ~LabBus() { g_object_unref(bus_); }

  Variant Call(const char* dest, const std::string& path, const char* iface, const char* method, GVariant* params) {
    GError* error = nullptr;
    GVariant* reply = g_dbus_connection_call_sync(bus_, dest, path.c_str(), iface, method, params, nullptr,
                                                  G_DBUS_CALL_FLAGS_NONE, 5000, nullptr, &error);
    if (reply == nullptr) {
      const std::string why = error->message;
      g_error_free(error);
      throw std::runtime_error(std::string(method) + ": " + why);
    }
    return Variant(reply);
  }
  Variant Property(const char* dest, const std::string& path, const char* iface, const char* name) {
    Variant reply = Call(dest, path, "org.freedesktop.DBus.Properties", "Get", g_variant_new("(ss)", iface, name));
    GVariant* value = nullptr;
    g_variant_get(reply.get(), "(v)", &value);
    return Variant(value);
  }
  // Runs `action`, then waits up to `limit` for a signal `member` of
  // `iface` from `path` whose arguments satisfy `match` (subscribed before
  // the action, so that none slips past).
  bool AwaitSignal(const std::string& path, const char* iface, const char* member,
                   const std::function<bool(GVariant*)>& match, const std::function<void()>& action,
                   std::chrono::seconds limit) {
    GMainContext* context = g_main_context_new();
    g_main_context_push_thread_default(context);
    struct Seen {
      const std::function<bool(GVariant*)>& match;
      bool seen = false;
    } seen{match};
    const guint id = g_dbus_connection_signal_subscribe(
        bus_, nullptr, iface, member, path.c_str(), nullptr, G_DBUS_SIGNAL_FLAGS_NONE,
        [](GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar*, GVariant* params, gpointer data) {
          auto* s = static_cast<Seen*>(data);
          if (s->match(params)) s->seen = true;
        },
        &seen, nullptr);
    action();
    GSource* tick = g_timeout_source_new(100);  // wakes the loop to look at the clock
    g_source_set_callback(tick, [](gpointer) -> gboolean { return G_SOURCE_CONTINUE; }, nullptr, nullptr);
    g_source_attach(tick, context);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!seen.seen && std::chrono::steady_clock::now() < deadline) g_main_context_iteration(context, TRUE);
    g_source_destroy(tick);
    g_source_unref(tick);
    g_dbus_connection_signal_unsubscribe(bus_, id);
    while (g_main_context_iteration(context, FALSE)) {
    }
    g_main_context_pop_thread_default(context);
    g_main_context_unref(context);
    return seen.seen;
  }
  // Waits for `device` to reach NMDeviceState `state`, after `action`.
  bool AwaitDeviceState(const std::string& device, guint32 state, const std::function<void()>& action) {
    return AwaitSignal(device, "org.freedesktop.NetworkManager.Device", "StateChanged",
                       [state](GVariant* p) {
                         guint32 now = 0, old = 0, reason = 0;
                         g_variant_get(p, "(uuu)", &now, &old, &reason);
                         return now == state;
                       },
                       action, std::chrono::seconds(10));
  }
  // The arguments of every call of `method` the NetworkManager mock got, in order.
  std::vector<Variant> NetworkManagerCalls(const char* method) {
    Variant reply = Call(kNm, kNmPath, "org.freedesktop.DBus.Mock", "GetMethodCalls", g_variant_new("(s)", method));
    std::vector<Variant> out;
    Variant calls(g_variant_get_child_value(reply.get(), 0));
    for (gsize i = 0; i < g_variant_n_children(calls.get()); ++i) {
      Variant call(g_variant_get_child_value(calls.get(), i));
      out.emplace_back(g_variant_get_child_value(call.get(), 1));  // av
    }
    return out;
  }

 private:
  GDBusConnection* bus_ = nullptr;
};

// The i-th argument of a call from GetMethodCalls (av), unboxed.
inline Variant Arg(GVariant* args, gsize i) {
  Variant boxed(g_variant_get_child_value(args, i));
  return Variant(g_variant_get_variant(boxed.get()));
}

inline std::set<std::string> Keys(GVariant* dict) {
  std::set<std::string> out;
  for (gsize i = 0; i < g_variant_n_children(dict); ++i) {
    Variant entry(g_variant_get_child_value(dict, i));
    Variant key(g_variant_get_child_value(entry.get(), 0));
    out.insert(g_variant_get_string(key.get(), nullptr));
  }
  return out;
}

inline Variant Lookup(GVariant* dict, const char* key) { return Variant(g_variant_lookup_value(dict, key, nullptr)); }

inline std::string Str(GVariant* v) { return v != nullptr && g_variant_is_of_type(v, G_VARIANT_TYPE_STRING) ? g_variant_get_string(v, nullptr) : "(none)"; }
inline bool Bool(GVariant* v) { return v != nullptr && g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean(v); }

}  // namespace cupswps::testing
