// SPDX-License-Identifier: Apache-2.0
// See supplicant_config.h.
#include "wps/supplicant_config.h"

#include <dirent.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace cupswps::wps {
namespace {

std::string Trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// ssid="text" or ssid=<hex>; "" for anything else (P"...", malformed).
std::string SsidValue(const std::string& v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  if (v.empty() || v.size() % 2 != 0 || v.size() > 64 || v.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return {};
  }
  std::string out;
  for (std::size_t i = 0; i < v.size(); i += 2) out.push_back(static_cast<char>(std::stoi(v.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

bool IsHexPsk(std::string_view key) {
  return key.size() == 64 && key.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

KeyForm KeyFormInConfig(std::string_view config, std::string_view ssid) {
  std::istringstream in{std::string(config)};
  std::string line;
  bool in_network = false;
  std::string block_ssid, block_psk;
  int raw = 0, passphrase = 0, other = 0;
  while (std::getline(in, line)) {
    line = Trimmed(line);
    if (line.empty() || line[0] == '#') continue;
    if (!in_network) {
      if (line == "network={") {
        in_network = true;
        block_ssid.clear();
        block_psk.clear();
      }
      continue;
    }
    if (line == "}") {
      in_network = false;
      if (block_ssid.empty() || block_ssid != ssid) continue;
      if (block_psk.size() >= 2 && block_psk.front() == '"') {
        ++passphrase;
      } else if (IsHexPsk(block_psk)) {
        ++raw;
      } else {
        ++other;
      }
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "ssid") block_ssid = SsidValue(value);
    if (key == "psk") block_psk = value;
  }
  if (other == 0 && raw > 0 && passphrase == 0) return KeyForm::kRawPsk;
  if (other == 0 && passphrase > 0 && raw == 0) return KeyForm::kPassphrase;
  return KeyForm::kUnknown;
}

std::string ConfigFileInArgv(const std::vector<std::string>& argv, std::string_view ifname) {
  std::string iface, conf;
  auto group_done = [&]() -> bool { return iface == ifname && !conf.empty(); };
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-N") {
      if (group_done()) return conf;
      iface.clear();
      conf.clear();
    } else if (a.rfind("-i", 0) == 0 || a.rfind("-c", 0) == 0) {
      std::string value = a.size() > 2 ? a.substr(2) : (i + 1 < argv.size() ? argv[++i] : std::string());
      (a[1] == 'i' ? iface : conf) = value;
    }
  }
  return group_done() ? conf : std::string();
}

std::string ConfigFileOfRunningSupplicant(std::string_view ifname) {
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return {};
  std::string found;
  while (dirent* d = readdir(proc)) {
    const std::string pid = d->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f("/proc/" + pid + "/cmdline", std::ios::binary);
    const std::string raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<std::string> argv;
    std::size_t start = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\0') {
        argv.push_back(raw.substr(start, i - start));
        start = i + 1;
      }
    }
    if (argv.empty()) continue;
    const std::string& exe = argv[0];
    if (exe != "wpa_supplicant" && (exe.size() < 15 || exe.compare(exe.size() - 15, 15, "/wpa_supplicant") != 0)) continue;
    found = ConfigFileInArgv(argv, ifname);
    if (!found.empty()) break;
  }
  closedir(proc);
  return found;
}

}  // namespace cupswps::wps
