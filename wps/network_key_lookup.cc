// SPDX-License-Identifier: Apache-2.0
// See network_key_lookup.h.
#include "wps/network_key_lookup.h"

#include <fstream>
#include <iterator>

#include "common/log.h"
#include "wps/supplicant_config.h"

namespace cupswps::wps {
namespace {

constexpr char kSupplicant[] = "fi.w1.wpa_supplicant1";

KeyForm FormInFile(const std::string& path, const std::string& ssid) {
  std::ifstream f(path);
  if (!f) {
    log::Debug("the key's form: cannot read " + path);
    return KeyForm::kUnknown;
  }
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return KeyFormInConfig(text, ssid);
}

}  // namespace

NetworkKeyLookup::NetworkKeyLookup(GMainContext* context)
    : network_manager_(context, GdbusNetworkManagerClient::Options{}),
      settings_(context, "org.freedesktop.NetworkManager"),
      supplicant_(context, kSupplicant) {}

void NetworkKeyLookup::Find(const std::string& ifname, const std::string& ssid, std::function<void(KeyForm)> done) {
  std::weak_ptr<int> alive = alive_;
  network_manager_.FindDevice(ifname, [this, alive, ifname, ssid, done](Result<NetworkManagerDevice> device) {
    if (alive.expired()) return;
    if (device && device->managed && !device->active_connection.empty()) {
      return FromNetworkManager(device->active_connection, done);
    }
    FromSupplicant(ifname, ssid, done);
  });
}

void NetworkKeyLookup::FromNetworkManager(const std::string& connection, std::function<void(KeyForm)> done) {
  settings_.Call(connection, "org.freedesktop.NetworkManager.Settings.Connection", "GetSecrets",
                 g_variant_new("(s)", "802-11-wireless-security"), G_VARIANT_TYPE("(a{sa{sv}})"),
                 [done](GVariant* reply, const Error* error) {
                   if (reply == nullptr) {
                     log::Debug("the key's form: NetworkManager's GetSecrets: " + error->detail);
                     return done(KeyForm::kUnknown);
                   }
                   VariantPtr all(g_variant_get_child_value(reply, 0));
                   VariantPtr security(
                       g_variant_lookup_value(all.get(), "802-11-wireless-security", G_VARIANT_TYPE("a{sv}")));
                   const gchar* psk = nullptr;
                   if (!security || !g_variant_lookup(security.get(), "psk", "&s", &psk) || psk == nullptr) {
                     log::Debug("the key's form: NetworkManager gave no psk (an agent keeps it?)");
                     return done(KeyForm::kUnknown);
                   }
                   done(IsHexPsk(psk) ? KeyForm::kRawPsk : KeyForm::kPassphrase);
                 });
}

void NetworkKeyLookup::FromSupplicant(const std::string& ifname, const std::string& ssid,
                                      std::function<void(KeyForm)> done) {
  std::weak_ptr<int> alive = alive_;
  supplicant_.Call(
      "/fi/w1/wpa_supplicant1", kSupplicant, "GetInterface", g_variant_new("(s)", ifname.c_str()),
      G_VARIANT_TYPE("(o)"), [this, alive, ifname, ssid, done](GVariant* reply, const Error*) {
        if (alive.expired()) return;
        // Not on D-Bus (wpa_supplicant -c ... -i IFACE without -u): its argv.
        if (reply == nullptr) return done(FormInFile(ConfigFileOfRunningSupplicant(ifname), ssid));
        const gchar* path = nullptr;
        g_variant_get(reply, "(&o)", &path);
        supplicant_.Get(path, "fi.w1.wpa_supplicant1.Interface", "ConfigFile",
                        [alive, ifname, ssid, done](GVariant* value, const Error*) {
                          if (alive.expired()) return;
                          std::string file;
                          if (value != nullptr && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
                            file = g_variant_get_string(value, nullptr);
                          }
                          if (file.empty()) file = ConfigFileOfRunningSupplicant(ifname);
                          if (file.empty()) {
                            log::Debug("the key's form: no configuration file for " + ifname);
                            return done(KeyForm::kUnknown);
                          }
                          done(FormInFile(file, ssid));
                        });
      });
}

}  // namespace cupswps::wps
