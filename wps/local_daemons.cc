// Finding and naming the daemon to pair with; see local_daemons.h.
#include "wps/local_daemons.h"

#include <dirent.h>
#include <gio/gio.h>
#include <net/if.h>
#include <sys/stat.h>

#include <algorithm>

#include "common/handle.h"
#include "common/log.h"

namespace cupswps::wps {
namespace {

using VariantPtr = CPtr<GVariant, g_variant_unref>;

std::pair<std::string_view, std::string_view> SplitSpec(std::string_view spec) {
  const std::size_t colon = spec.find(':');
  if (colon == std::string_view::npos) return {{}, spec};
  return {spec.substr(0, colon), spec.substr(colon + 1)};
}

bool ValidIfname(std::string_view s) {
  if (s.empty() || s.size() >= IFNAMSIZ) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '@';
  });
}

std::string Joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace

Result<DaemonChoice> ParseRegistrarSpec(std::string_view spec) {
  auto [daemon, target] = SplitSpec(spec);
  if (daemon.empty()) daemon = "hostapd";
  if ((daemon != "hostapd" && daemon != "wpa_supplicant") || target.empty() || target.front() != '/') {
    return Error{ErrorCode::kInvalidArgument,
                 "--registrar takes hostapd:CONTROL_SOCKET, e.g. hostapd:/run/hostapd/wlan0.", ""};
  }
  return DaemonChoice{Side::kRegistrar, std::string(daemon), std::string(target), ""};
}

Result<DaemonChoice> ParseEnrolleeSpec(std::string_view spec) {
  auto [daemon, target] = SplitSpec(spec);
  if (daemon.empty()) daemon = "wpa_supplicant";
  if (daemon != "wpa_supplicant" || !ValidIfname(target)) {
    return Error{ErrorCode::kInvalidArgument, "--enrollee takes wpa_supplicant:INTERFACE, e.g. wpa_supplicant:wlan0.",
                 ""};
  }
  return DaemonChoice{Side::kEnrollee, "wpa_supplicant", std::string(target), ""};
}

std::vector<std::string> ControlSockets(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    // Clients (hostapd_cli, wpa_cli) may keep their own sockets here.
    if (name == "." || name == ".." || name.rfind("wpa_ctrl_", 0) == 0) continue;
    struct stat st {};
    const std::string path = dir + "/" + name;
    if (stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) out.push_back(path);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> SupplicantInterfaces() {
  std::vector<std::string> out;
  GError* raw = nullptr;
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, nullptr, &raw);
  if (bus == nullptr) {
    log::Debug(std::string("system bus: ") + (raw != nullptr ? raw->message : "?"));
    if (raw != nullptr) g_error_free(raw);
    return out;
  }
  auto get = [&](const char* path, const char* property) -> VariantPtr {
    GError* err = nullptr;
    VariantPtr reply(g_dbus_connection_call_sync(
        bus, "fi.w1.wpa_supplicant1", path, "org.freedesktop.DBus.Properties", "Get",
        g_variant_new("(ss)", path == std::string_view("/fi/w1/wpa_supplicant1") ? "fi.w1.wpa_supplicant1"
                                                                                 : "fi.w1.wpa_supplicant1.Interface",
                      property),
        G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000, nullptr, &err));
    if (!reply) {
      log::Debug(std::string("wpa_supplicant ") + property + ": " + (err != nullptr ? err->message : "?"));
      if (err != nullptr) g_error_free(err);
      return nullptr;
    }
    GVariant* value = nullptr;
    g_variant_get(reply.get(), "(v)", &value);
    return VariantPtr(value);
  };
  if (VariantPtr paths = get("/fi/w1/wpa_supplicant1", "Interfaces");
      paths && g_variant_is_of_type(paths.get(), G_VARIANT_TYPE_OBJECT_PATH_ARRAY)) {
    gsize n = 0;
    const gchar** items = g_variant_get_objv(paths.get(), &n);
    for (gsize i = 0; i < n && i < 64; ++i) {
      if (VariantPtr name = get(items[i], "Ifname"); name && g_variant_is_of_type(name.get(), G_VARIANT_TYPE_STRING)) {
        const char* ifname = g_variant_get_string(name.get(), nullptr);
        if (ValidIfname(ifname)) out.emplace_back(ifname);
      }
    }
    g_free(items);
  }
  g_object_unref(bus);
  std::sort(out.begin(), out.end());
  return out;
}

Result<DaemonChoice> PickDaemon(const std::string& hostapd_dir) {
  const std::vector<std::string> sockets = ControlSockets(hostapd_dir);
  if (sockets.size() == 1) {
    return DaemonChoice{Side::kRegistrar, "hostapd", sockets[0],
                        "the only hostapd control socket in " + hostapd_dir};
  }
  if (sockets.size() > 1) {
    return Error{ErrorCode::kInvalidArgument,
                 "hostapd runs several access points (" + Joined(sockets) +
                     "); name one with --registrar hostapd:PATH.",
                 ""};
  }
  const std::vector<std::string> interfaces = SupplicantInterfaces();
  if (interfaces.size() == 1) {
    return DaemonChoice{Side::kEnrollee, "wpa_supplicant", interfaces[0],
                        "no hostapd here; the only interface of wpa_supplicant"};
  }
  if (interfaces.size() > 1) {
    return Error{ErrorCode::kInvalidArgument,
                 "wpa_supplicant manages several interfaces (" + Joined(interfaces) +
                     "); name one with --enrollee wpa_supplicant:IFACE.",
                 ""};
  }
  return Error{ErrorCode::kWpsNoDaemon,
               "No Wi-Fi daemon to pair with: no hostapd control socket in " + hostapd_dir +
                   " and no wpa_supplicant on the system bus; start one, or name it with --registrar or --enrollee.",
               ""};
}

}  // namespace cupswps::wps
