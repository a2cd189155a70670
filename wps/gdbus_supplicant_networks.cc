// SPDX-License-Identifier: Apache-2.0
// wpa_supplicant's networks over GDBus; see gdbus_supplicant_networks.h.
#include "wps/gdbus_supplicant_networks.h"

#include <utility>

namespace cupswps::wps {
namespace {

constexpr char kService[] = "fi.w1.wpa_supplicant1";
constexpr char kRootPath[] = "/fi/w1/wpa_supplicant1";
constexpr char kInterface[] = "fi.w1.wpa_supplicant1.Interface";
constexpr char kNetwork[] = "fi.w1.wpa_supplicant1.Network";

Status StatusOf(const Error* error) { return error != nullptr ? Status(Error{error->code, "", error->detail}) : Status(); }

}  // namespace

GdbusSupplicantNetworks::GdbusSupplicantNetworks(GMainContext* context, std::string ifname, GBusType bus)
    : ifname_(std::move(ifname)), bus_(context, kService, bus) {}

void GdbusSupplicantNetworks::WithInterface(std::function<void(const Error*)> then) {
  if (!path_.empty()) return then(nullptr);
  bus_.Call(kRootPath, "fi.w1.wpa_supplicant1", "GetInterface", g_variant_new("(s)", ifname_.c_str()),
            G_VARIANT_TYPE("(o)"), [this, then](GVariant* reply, const Error* error) {
              if (reply == nullptr) return then(error);
              const gchar* path = nullptr;
              g_variant_get(reply, "(&o)", &path);
              path_ = path;
              then(nullptr);
            });
}

void GdbusSupplicantNetworks::List(std::function<void(Result<std::vector<Network>>)> done) {
  WithInterface([this, done](const Error* error) {
    if (error != nullptr) return done(Error{error->code, "", error->detail});
    bus_.Get(path_, kInterface, "Networks", [this, done](GVariant* value, const Error* why) {
      if (value == nullptr) return done(Error{why->code, "", why->detail});
      std::vector<std::string> paths;
      if (g_variant_is_of_type(value, G_VARIANT_TYPE_OBJECT_PATH_ARRAY)) {
        gsize n = 0;
        const gchar** items = g_variant_get_objv(value, &n);
        for (gsize i = 0; i < n; ++i) paths.emplace_back(items[i]);
        g_free(items);
      }
      ReadEnabled(std::move(paths), 0, {}, done);
    });
  });
}

void GdbusSupplicantNetworks::ReadEnabled(std::vector<std::string> paths, std::size_t i, std::vector<Network> out,
                                          std::function<void(Result<std::vector<Network>>)> done) {
  if (i == paths.size()) return done(std::move(out));
  const std::string path = paths[i];
  bus_.Get(path, kNetwork, "Enabled",
           [this, paths = std::move(paths), i, out = std::move(out), done](GVariant* value, const Error*) mutable {
             // A network removed meanwhile is left out.
             if (value != nullptr && g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
               out.push_back(Network{paths[i], g_variant_get_boolean(value) != FALSE});
             }
             ReadEnabled(std::move(paths), i + 1, std::move(out), done);
           });
}

void GdbusSupplicantNetworks::Add(VariantPtr args, std::function<void(Result<std::string>)> done) {
  WithInterface([this, args = std::shared_ptr<GVariant>(args.release(), g_variant_unref), done](const Error* error) {
    if (error != nullptr) return done(Error{error->code, "", error->detail});
    // Never logged: the arguments carry the key.
    bus_.Call(path_, kInterface, "AddNetwork", g_variant_new("(@a{sv})", args.get()), G_VARIANT_TYPE("(o)"),
              [done](GVariant* reply, const Error* why) {
                if (reply == nullptr) return done(Error{why->code, "", why->detail});
                const gchar* path = nullptr;
                g_variant_get(reply, "(&o)", &path);
                done(std::string(path));
              });
  });
}

void GdbusSupplicantNetworks::Select(const std::string& network, Done done) {
  WithInterface([this, network, done](const Error* error) {
    if (error != nullptr) return done(StatusOf(error));
    bus_.Call(path_, kInterface, "SelectNetwork", g_variant_new("(o)", network.c_str()), nullptr,
              [done](GVariant*, const Error* why) { done(StatusOf(why)); });
  });
}

void GdbusSupplicantNetworks::Remove(const std::string& network, Done done) {
  WithInterface([this, network, done](const Error* error) {
    if (error != nullptr) return done(StatusOf(error));
    bus_.Call(path_, kInterface, "RemoveNetwork", g_variant_new("(o)", network.c_str()), nullptr,
              [done](GVariant*, const Error* why) { done(StatusOf(why)); });
  });
}

void GdbusSupplicantNetworks::Enable(const std::string& network, Done done) {
  bus_.Set(network, kNetwork, "Enabled", g_variant_new_boolean(TRUE),
           [done](GVariant*, const Error* why) { done(StatusOf(why)); });
}

void GdbusSupplicantNetworks::Disable(const std::string& network, Done done) {
  bus_.Set(network, kNetwork, "Enabled", g_variant_new_boolean(FALSE),
           [done](GVariant*, const Error* why) { done(StatusOf(why)); });
}

}  // namespace cupswps::wps
