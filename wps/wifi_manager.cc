// SPDX-License-Identifier: Apache-2.0
// Who manages a Wi-Fi interface; see wifi_manager.h.
#include "wps/wifi_manager.h"

#include <charconv>

namespace cupswps::wps {
namespace {

// The lines of `text` as words, comments and continuations handled.
std::vector<std::vector<std::string_view>> Lines(std::string_view text) {
  std::vector<std::vector<std::string_view>> out;
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const bool continued = !line.empty() && line.back() == '\\';
    if (continued) line.remove_suffix(1);
    // Comments only at the start of a line (interfaces(5)).
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line[first] == '#') line = {};
    while (!line.empty()) {
      const std::size_t start = line.find_first_not_of(" \t\r");
      if (start == std::string_view::npos) break;
      line.remove_prefix(start);
      const std::size_t end = line.find_first_of(" \t\r");
      words.push_back(line.substr(0, end));
      line = end == std::string_view::npos ? std::string_view() : line.substr(end);
    }
    if (continued) continue;
    if (!words.empty()) out.push_back(std::move(words));
    words.clear();
  }
  if (!words.empty()) out.push_back(std::move(words));
  return out;
}

bool IsStanza(std::string_view w) {
  return w == "iface" || w == "mapping" || w == "auto" || w.starts_with("allow-") || w == "source" ||
         w == "source-directory" || w == "rename" || w == "no-auto-down" || w == "no-scripts";
}

}  // namespace

WifiManager DecideManager(const ManagerFacts& facts) {
  if (facts.network_manager && facts.network_manager->managed) return WifiManager::kNetworkManager;
  if (facts.iwd) return WifiManager::kIwd;
  return WifiManager::kSupplicant;
}

AddressSource DecideAddressSource(const ManagerFacts& facts) {
  if (facts.networkd) return AddressSource::kNetworkd;
  if (facts.ifupdown) return AddressSource::kIfupdown;
  return AddressSource::kNone;
}

std::string_view ManagerName(WifiManager manager) {
  switch (manager) {
    case WifiManager::kNetworkManager: return "networkmanager";
    case WifiManager::kIwd: return "iwd";
    case WifiManager::kSupplicant: return "wpa_supplicant";
  }
  return "wpa_supplicant";
}

std::string_view AddressSourceName(AddressSource source) {
  switch (source) {
    case AddressSource::kNetworkd: return "networkd";
    case AddressSource::kIfupdown: return "ifupdown";
    case AddressSource::kNone: return "none";
  }
  return "none";
}

bool NetworkManagerSupported(std::string_view version) {
  int major = 0, minor = 0;
  const char* end = version.data() + version.size();
  auto [p, ec] = std::from_chars(version.data(), end, major);
  if (ec != std::errc() || p == end || *p != '.') return false;
  auto [q, ec2] = std::from_chars(p + 1, end, minor);
  if (ec2 != std::errc()) return false;
  return major > 1 || (major == 1 && minor >= 16);
}

std::string DescribeManagement(const ManagerFacts& facts) {
  const std::string& i = facts.ifname;
  switch (DecideManager(facts)) {
    case WifiManager::kNetworkManager:
      return "NetworkManager manages " + i +
             ": the printer's network is handed to it as a temporary profile that never becomes the default route";
    case WifiManager::kIwd:
      return "iwd manages " + i;
    case WifiManager::kSupplicant:
      break;
  }
  std::string s = "wpa_supplicant alone manages " + i + ", without NetworkManager or iwd; ";
  switch (DecideAddressSource(facts)) {
    case AddressSource::kNetworkd: return s + "systemd-networkd gives it an address on the printer's network";
    case AddressSource::kIfupdown: return s + "ifupdown gives it an address on the printer's network";
    case AddressSource::kNone: return s + "nothing gives it an address on the printer's network";
  }
  return s;
}

std::string NetworkManagerWarning(const ManagerFacts& facts, bool keep) {
  const std::string& i = facts.ifname;
  const std::string current = facts.network_manager && !facts.network_manager->active_id.empty()
                                  ? "its network '" + facts.network_manager->active_id + "'"
                                  : "NetworkManager's automatic connections";
  if (keep) {
    return "This host's Wi-Fi (" + i + ") leaves " + current +
           " now (one radio) and stays on the printer's network afterwards (--keep-network).";
  }
  return "This host's Wi-Fi (" + i + ") leaves " + current +
         " while the printer is set up (one radio), and goes back afterwards.";
}

std::string JoiningLine(const ManagerFacts& facts, const std::string& ssid, bool keep) {
  const std::string where = "'" + ssid + "' on " + facts.ifname;
  if (DecideManager(facts) == WifiManager::kNetworkManager) {
    return "NetworkManager joins " + where +
           (keep ? " (saved as a profile that never becomes the default route)."
                 : " (a temporary profile: never the default route, never saved).");
  }
  return "wpa_supplicant joins " + where + " (in memory only: its configuration file is not changed).";
}

std::string RestoredLine(const ManagerFacts& facts, bool keep) {
  const std::string& i = facts.ifname;
  if (DecideManager(facts) == WifiManager::kNetworkManager) {
    if (keep) return "This host's Wi-Fi (" + i + ") stays on the printer's network; NetworkManager keeps its profile.";
    const std::string& before = facts.network_manager ? facts.network_manager->active_id : std::string();
    // NetworkManager took the activation; joining takes it a few seconds more
    // (seen with the real one, over the air).
    if (before.empty()) return "This host's Wi-Fi (" + i + ") is back as it was; the printer's network was not kept.";
    return "This host's Wi-Fi (" + i + ") is going back on '" + before +
           "' (NetworkManager reconnects it); the printer's network was not kept.";
  }
  if (keep) return "wpa_supplicant keeps the printer's network on " + i + " until it restarts (never in its configuration file).";
  return "wpa_supplicant on " + i + " is back as it was; the printer's network was not kept.";
}

std::string IwdInstruction(const std::string& ifname, Method method, bool setup_waits) {
  const std::string first = method == Method::kPin ? "'iwctl wsc " + ifname + " start-pin PIN' (the printer's PIN)"
                                                   : "'iwctl wsc " + ifname + " push-button'";
  const std::string other = method == Method::kPin ? "'iwctl wsc " + ifname + " push-button'"
                                                   : "'iwctl wsc " + ifname + " start-pin PIN'";
  return "iwd manages " + ifname + " and cannot be handed the printer's network: join it with " + first + " (or " +
         other + ")" +
         (setup_waits ? ", and setup looks for the printer on " + ifname + " meanwhile."
                      : ", then 'cups-wps setup --enrollee " + ifname + " --joined' makes its queue.");
}

std::string NoAddressProblem(const std::string& ifname) {
  return "Nothing on this host would give " + ifname +
         " an address on the printer's network (no NetworkManager, systemd-networkd or ifupdown manages it), so "
         "the printer could never be reached: join its network with 'cups-wps pair --enrollee " + ifname +
         " --keep-network', give " + ifname + " an address ('dhclient " + ifname +
         "'), then run 'cups-wps setup --enrollee " + ifname + " --joined'.";
}

bool IfupdownConfigures(std::string_view text, std::string_view ifname) {
  bool in_stanza = false;
  for (const auto& words : Lines(text)) {
    if (IsStanza(words[0])) in_stanza = false;
    if (words[0] == "iface" && words.size() >= 4 && words[1] == ifname) {
      const std::string_view family = words[2], method = words[3];
      if ((family == "inet" || family == "inet6") && method != "manual" && method != "loopback") return true;
      in_stanza = true;  // manual: only wpa-roam makes it get addresses
      continue;
    }
    if (in_stanza && words[0] == "wpa-roam") return true;
  }
  return false;
}

IfupdownIncludes IfupdownSources(std::string_view text) {
  IfupdownIncludes out;
  for (const auto& words : Lines(text)) {
    if (words.size() < 2) continue;
    if (words[0] == "source") out.patterns.emplace_back(words[1]);
    if (words[0] == "source-directory") out.directories.emplace_back(words[1]);
  }
  return out;
}

}  // namespace cupswps::wps
