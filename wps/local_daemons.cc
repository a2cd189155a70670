// SPDX-License-Identifier: Apache-2.0
// Finding and naming the daemon to pair with; see local_daemons.h.
#include "wps/local_daemons.h"

#include <dirent.h>
#include <net/if.h>
#include <sys/stat.h>

#include <algorithm>


namespace cupswps::wps {
namespace {

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

Result<DaemonChoice> ParseExternalRegistrarSpec(std::string_view spec) {
  auto [daemon, target] = SplitSpec(spec);
  if (daemon.empty()) daemon = "wpa_supplicant";
  if (daemon != "wpa_supplicant" || target.empty() || target.front() != '/') {
    return Error{ErrorCode::kInvalidArgument,
                 "--er takes wpa_supplicant:CONTROL_SOCKET, e.g. wpa_supplicant:/run/wpa_supplicant/wlan0.", ""};
  }
  return DaemonChoice{Side::kRegistrar, "wpa_supplicant", std::string(target), "", true};
}

Result<DaemonChoice> PickRouter(const std::string& supplicant_dir) {
  std::vector<std::string> sockets = ControlSockets(supplicant_dir);
  // Wi-Fi Direct's management interfaces have sockets of their own.
  std::erase_if(sockets, [](const std::string& p) { return p.find("/p2p-dev-") != std::string::npos; });
  if (sockets.size() > 1) {
    return Error{ErrorCode::kInvalidArgument,
                 "wpa_supplicant has several control sockets (" + Joined(sockets) +
                     "); name the one of the interface on the router's network with --er wpa_supplicant:PATH.",
                 ""};
  }
  if (sockets.empty()) {
    return DaemonChoice{Side::kRegistrar, "", "",
                        "no hostapd and no wpa_supplicant control socket here: the router pairs the printer when "
                        "its WPS button is pressed",
                        true};
  }
  return DaemonChoice{Side::kRegistrar, "wpa_supplicant", sockets[0],
                      "no hostapd here, so the home router is the access point; its WPS is reached through "
                      "wpa_supplicant's External Registrar",
                      true};
}

Result<DaemonChoice> PickDaemon(const std::string& hostapd_dir, const std::string& supplicant_dir) {
  const std::vector<std::string> sockets = ControlSockets(hostapd_dir);
  if (sockets.size() == 1) {
    return DaemonChoice{Side::kRegistrar, "hostapd", sockets[0],
                        "this host is the access point: the only hostapd control socket in " + hostapd_dir};
  }
  if (sockets.size() > 1) {
    return Error{ErrorCode::kInvalidArgument,
                 "hostapd runs several access points (" + Joined(sockets) +
                     "); name one with --registrar hostapd:PATH.",
                 ""};
  }
  return PickRouter(supplicant_dir);
}

}  // namespace cupswps::wps
