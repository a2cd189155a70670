// SPDX-License-Identifier: Apache-2.0
// Who manages the interface, asked of the daemons; see wifi_manager_probe.h.
#include "wps/wifi_manager_probe.h"

#include <dirent.h>
#include <glob.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <utility>

#include "common/log.h"

namespace cupswps::wps {
namespace {

constexpr int kMaxSourceDepth = 4;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// run-parts(8) names: letters, digits, '_' and '-'.
bool RunPartsName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return g_ascii_isalnum(c) || c == '_' || c == '-';
  });
}

bool Configures(const std::string& path, const std::string& ifname, int depth) {
  const std::string text = ReadFile(path);
  if (IfupdownConfigures(text, ifname)) return true;
  if (depth >= kMaxSourceDepth) return false;
  const IfupdownIncludes includes = IfupdownSources(text);
  // Relative names are relative to /etc/network (interfaces(5)).
  auto absolute = [](const std::string& p) { return p.starts_with("/") ? p : "/etc/network/" + p; };
  for (const std::string& pattern : includes.patterns) {
    glob_t g{};
    if (glob(absolute(pattern).c_str(), 0, nullptr, &g) == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) {
        if (Configures(g.gl_pathv[i], ifname, depth + 1)) {
          globfree(&g);
          return true;
        }
      }
    }
    globfree(&g);
  }
  for (const std::string& dir : includes.directories) {
    DIR* d = opendir(absolute(dir).c_str());
    if (d == nullptr) continue;
    std::vector<std::string> names;
    while (const dirent* e = readdir(d)) {
      if (RunPartsName(e->d_name)) names.emplace_back(e->d_name);
    }
    closedir(d);
    for (const std::string& name : names) {
      if (Configures(absolute(dir) + "/" + name, ifname, depth + 1)) return true;
    }
  }
  return false;
}

}  // namespace

bool IfupdownConfiguresInterface(const std::string& path, const std::string& ifname) {
  return Configures(path, ifname, 0);
}

WifiManagerProbe::WifiManagerProbe(GMainContext* context, NetworkManagerClient& network_manager, Options options)
    : network_manager_(network_manager),
      options_(std::move(options)),
      iwd_(context, "net.connman.iwd", options_.bus),
      networkd_(context, "org.freedesktop.network1", options_.bus) {}

void WifiManagerProbe::Probe(const std::string& ifname, std::function<void(ManagerFacts)> done) {
  network_manager_.FindDevice(ifname, [this, ifname, done](Result<NetworkManagerDevice> device) {
    ManagerFacts facts;
    facts.ifname = ifname;
    if (device) {
      facts.network_manager = device.value();
      if (device->managed) return done(std::move(facts));
    } else {
      log::Debug("NetworkManager and " + ifname + ": " + device.error().detail);
    }
    AskIwd(std::move(facts), done);
  });
}

void WifiManagerProbe::AskIwd(ManagerFacts facts, std::function<void(ManagerFacts)> done) {
  iwd_.Call("/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", nullptr,
            G_VARIANT_TYPE("(a{oa{sa{sv}}})"), [this, facts, done](GVariant* reply, const Error* error) mutable {
              if (reply != nullptr) {
                VariantPtr objects(g_variant_get_child_value(reply, 0));
                GVariantIter it;
                g_variant_iter_init(&it, objects.get());
                const gchar* path = nullptr;
                GVariant* interfaces = nullptr;
                while (g_variant_iter_next(&it, "{&o@a{sa{sv}}}", &path, &interfaces)) {
                  VariantPtr owner(interfaces);
                  VariantPtr device(g_variant_lookup_value(interfaces, "net.connman.iwd.Device", nullptr));
                  const gchar* name = nullptr;
                  if (device && g_variant_lookup(device.get(), "Name", "&s", &name) && name != nullptr &&
                      facts.ifname == name) {
                    facts.iwd = true;
                  }
                }
              } else {
                log::Debug("iwd: " + error->detail);
              }
              if (facts.iwd) return done(std::move(facts));
              AskNetworkd(std::move(facts), done);
            });
}

void WifiManagerProbe::AskNetworkd(ManagerFacts facts, std::function<void(ManagerFacts)> done) {
  auto finish = [this, done](ManagerFacts f) {
    f.ifupdown = IfupdownConfiguresInterface(options_.interfaces_file, f.ifname);
    done(std::move(f));
  };
  networkd_.Call("/org/freedesktop/network1", "org.freedesktop.network1.Manager", "GetLinkByName",
                 g_variant_new("(s)", facts.ifname.c_str()), G_VARIANT_TYPE("(io)"),
                 [this, facts, finish](GVariant* reply, const Error* error) mutable {
                   if (reply == nullptr) {
                     log::Debug("systemd-networkd: " + error->detail);
                     return finish(std::move(facts));
                   }
                   gint32 index = 0;
                   const gchar* path = nullptr;
                   g_variant_get(reply, "(i&o)", &index, &path);
                   networkd_.Get(path, "org.freedesktop.network1.Link", "AdministrativeState",
                                 [facts, finish](GVariant* state, const Error*) mutable {
                                   if (state != nullptr && g_variant_is_of_type(state, G_VARIANT_TYPE_STRING)) {
                                     const std::string_view s = g_variant_get_string(state, nullptr);
                                     facts.networkd = s == "configuring" || s == "configured";
                                   }
                                   finish(std::move(facts));
                                 });
                 });
}

}  // namespace cupswps::wps
