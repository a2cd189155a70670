// SPDX-License-Identifier: Apache-2.0
// NetworkManager's profiles as saved networks; see
// network_manager_saved_networks.h.
#include "wps/network_manager_saved_networks.h"

#include <utility>

#include "common/log.h"
#include "common/text.h"
#include "wps/network_key.h"

namespace cupswps::wps {
namespace {

constexpr char kSettingsPath[] = "/org/freedesktop/NetworkManager/Settings";
constexpr char kSecurity[] = "802-11-wireless-security";
constexpr std::size_t kMaxProfiles = 512;  // more than anyone has; the list comes from the bus

std::string StringIn(GVariant* section, const char* key) {
  const gchar* value = nullptr;
  if (section == nullptr || !g_variant_lookup(section, key, "&s", &value) || value == nullptr) return "";
  return value;
}

VariantPtr Section(GVariant* settings, const char* name) {
  return VariantPtr(g_variant_lookup_value(settings, name, G_VARIANT_TYPE("a{sv}")));
}

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

std::string Joined(const std::vector<std::string>& words) {
  std::string s;
  for (const std::string& w : words) s += (s.empty() ? "" : ", ") + w;
  return s;
}

bool PrintableAscii(const std::string& s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

ProfileFacts ReadProfile(GVariant* settings) {
  ProfileFacts facts;
  if (settings == nullptr || !g_variant_is_of_type(settings, G_VARIANT_TYPE("a{sa{sv}}"))) return facts;
  VariantPtr connection = Section(settings, "connection");
  VariantPtr wireless = Section(settings, "802-11-wireless");
  VariantPtr security = Section(settings, kSecurity);
  facts.id = text::Clean(StringIn(connection.get(), "id"), 64);
  const std::string mode = StringIn(wireless.get(), "mode");
  facts.wifi = StringIn(connection.get(), "type") == "802-11-wireless" && wireless &&
               (mode.empty() || mode == "infrastructure");
  if (wireless) {
    VariantPtr ssid(g_variant_lookup_value(wireless.get(), "ssid", G_VARIANT_TYPE_BYTESTRING));
    gsize n = 0;
    const auto* bytes = ssid ? static_cast<const char*>(g_variant_get_fixed_array(ssid.get(), &n, 1)) : nullptr;
    if (bytes != nullptr && n <= 32) facts.ssid.assign(bytes, n);
  }
  facts.key_mgmt = StringIn(security.get(), "key-mgmt");
  return facts;
}

Result<std::size_t> ChooseProfile(const std::vector<ProfileFacts>& profiles, const std::string& ssid) {
  std::vector<std::size_t> matches;
  std::vector<std::string> others;
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    if (!profiles[i].wifi) continue;
    if (profiles[i].ssid == ssid) {
      matches.push_back(i);
    } else if (others.size() < 8) {
      others.push_back(Quoted(profiles[i].id));
    }
  }
  const std::string shown = Quoted(text::Clean(ssid, 32 * 4));
  if (matches.empty()) {
    return Error{ErrorCode::kNotFound,
                 "and NetworkManager has no Wi-Fi profile for it" +
                     (others.empty() ? std::string() : " (it has " + Joined(others) + ")"),
                 "NetworkManager: no profile for " + shown};
  }
  if (matches.size() > 1) {
    std::vector<std::string> names;
    for (const std::size_t i : matches) names.push_back(Quoted(profiles[i].id));
    return Error{ErrorCode::kRefused,
                 "NetworkManager has " + std::to_string(matches.size()) + " profiles for " + shown + " (" +
                     Joined(names) + "), and cups-wps does not guess which to hand to the printer.",
                 "NetworkManager: several profiles"};
  }
  const ProfileFacts& p = profiles[matches.front()];
  const std::string named = "NetworkManager's profile " + Quoted(p.id) + " for " + shown;
  if (p.key_mgmt == "wpa-psk") return matches.front();
  if (p.key_mgmt.empty() || p.key_mgmt == "owe") {
    return Error{ErrorCode::kRefused, named + " is an open network, and cups-wps never hands a printer an open network.",
                 "key-mgmt " + p.key_mgmt};
  }
  return Error{ErrorCode::kRefused,
               named + " is set up for " +
                   (p.key_mgmt == "sae" ? std::string("WPA3 (SAE) only")
                                        : "'" + text::Clean(p.key_mgmt, 32) + "', not WPA2 personal") +
                   ", which WPS cannot hand to a printer, so cups-wps does not hand it on.",
               "key-mgmt " + text::Clean(p.key_mgmt, 32)};
}

Result<SavedNetwork> PassphraseOf(GVariant* secrets, const std::string& id) {
  const std::string named = "NetworkManager's profile " + Quoted(id);
  SavedNetwork network;
  network.name = named;
  if (secrets != nullptr && g_variant_is_of_type(secrets, G_VARIANT_TYPE("(a{sa{sv}})"))) {
    VariantPtr all(g_variant_get_child_value(secrets, 0));
    VariantPtr security = Section(all.get(), kSecurity);
    const gchar* psk = nullptr;  // borrowed from the reply: copied only into the SecretString
    if (security && g_variant_lookup(security.get(), "psk", "&s", &psk) && psk != nullptr) {
      network.passphrase.str().assign(psk);
    }
  }
  const std::string& key = network.passphrase.str();
  if (key.empty()) {
    return Error{ErrorCode::kRefused,
                 named + " gave cups-wps no key (a key kept in a user's keyring is given only to that user's "
                         "session), so cups-wps cannot hand it to the printer.",
                 "GetSecrets: no psk"};
  }
  if (IsHexPsk(key)) {
    return Error{ErrorCode::kRefused,
                 named + " has its key as 64 hex digits (a raw PSK), which the router's WPS would hand the printer "
                         "as a key it cannot use, so cups-wps does not hand it on.",
                 "psk: 64 hex digits"};
  }
  if (key.size() < 8 || key.size() > 63 || !PrintableAscii(key)) {
    return Error{ErrorCode::kRefused,
                 named + " has a key that is not a WPA2 passphrase (8 to 63 printable ASCII characters), so "
                         "cups-wps does not hand it on.",
                 "psk: not a passphrase"};
  }
  return network;
}

struct NetworkManagerSavedNetworks::Search {
  std::string ssid;
  std::function<void(Result<SavedNetwork>)> done;
  std::vector<std::string> paths;
  std::vector<ProfileFacts> profiles;
};

NetworkManagerSavedNetworks::NetworkManagerSavedNetworks(GMainContext* context, GBusType bus)
    : settings_(context, "org.freedesktop.NetworkManager", bus) {}

void NetworkManagerSavedNetworks::Find(const std::string& ssid, std::function<void(Result<SavedNetwork>)> done) {
  auto search = std::make_shared<Search>(Search{ssid, std::move(done), {}, {}});
  std::weak_ptr<int> alive = alive_;
  settings_.Call(kSettingsPath, "org.freedesktop.NetworkManager.Settings", "ListConnections", nullptr,
                 G_VARIANT_TYPE("(ao)"), [this, alive, search](GVariant* reply, const Error* error) {
                   if (alive.expired()) return;
                   if (reply == nullptr) {
                     log::Debug("NetworkManager's profiles: " + error->detail);
                     return search->done(Error{ErrorCode::kNotFound, "and NetworkManager does not answer here",
                                               error->detail});
                   }
                   GVariantIter* paths = nullptr;
                   g_variant_get(reply, "(ao)", &paths);
                   const gchar* path = nullptr;
                   while (g_variant_iter_next(paths, "&o", &path) && search->paths.size() < kMaxProfiles) {
                     search->paths.emplace_back(path);
                   }
                   g_variant_iter_free(paths);
                   ReadNext(search);
                 });
}

void NetworkManagerSavedNetworks::ReadNext(std::shared_ptr<Search> search) {
  if (search->profiles.size() == search->paths.size()) {
    auto chosen = ChooseProfile(search->profiles, search->ssid);
    if (!chosen) return search->done(chosen.error());
    return Secrets(search, chosen.value());
  }
  std::weak_ptr<int> alive = alive_;
  settings_.Call(search->paths[search->profiles.size()], "org.freedesktop.NetworkManager.Settings.Connection",
                 "GetSettings", nullptr, G_VARIANT_TYPE("(a{sa{sv}})"),
                 [this, alive, search](GVariant* reply, const Error*) {
                   if (alive.expired()) return;
                   VariantPtr settings(reply != nullptr ? g_variant_get_child_value(reply, 0) : nullptr);
                   search->profiles.push_back(ReadProfile(settings.get()));  // unreadable: not Wi-Fi
                   ReadNext(search);
                 });
}

void NetworkManagerSavedNetworks::Secrets(std::shared_ptr<Search> search, std::size_t chosen) {
  std::weak_ptr<int> alive = alive_;
  const std::string id = search->profiles[chosen].id;
  settings_.Call(search->paths[chosen], "org.freedesktop.NetworkManager.Settings.Connection", "GetSecrets",
                 g_variant_new("(s)", kSecurity), G_VARIANT_TYPE("(a{sa{sv}})"),
                 [alive, search, id](GVariant* reply, const Error* error) {
                   if (alive.expired()) return;
                   if (reply == nullptr) log::Debug("GetSecrets of '" + id + "': " + error->detail);
                   search->done(PassphraseOf(reply, id));
                 });
}

}  // namespace cupswps::wps
