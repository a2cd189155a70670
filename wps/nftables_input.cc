// SPDX-License-Identifier: Apache-2.0
// See nftables_input.h.
#include "wps/nftables_input.h"

#include <glib.h>

#include <sstream>

#include "common/log.h"

namespace cupswps::wps {
namespace {

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

bool HasWord(const std::vector<std::string>& words, std::string_view w) {
  for (const std::string& x : words) {
    if (x == w || x == std::string(w) + ";") return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> DroppingInputChains(std::string_view ruleset) {
  std::vector<std::string> found;
  std::istringstream in{std::string(ruleset)};
  std::string line, table, chain;
  bool input = false, drops = false;
  while (std::getline(in, line)) {
    const std::vector<std::string> w = Words(line);
    if (w.empty()) continue;
    if (w[0] == "table" && w.size() >= 3) {
      table = w[1] + " " + w[2];
    } else if (w[0] == "chain" && w.size() >= 2 && !table.empty()) {
      chain = w[1];
      input = drops = false;
    } else if (w[0] == "}") {
      if (!chain.empty() && input && drops) found.push_back(table + " " + chain);
      if (!chain.empty()) {
        chain.clear();
      } else {
        table.clear();
      }
    } else if (!chain.empty()) {
      if (w[0] == "type" && HasWord(w, "hook") && HasWord(w, "input")) input = true;
      if (HasWord(w, "drop") || HasWord(w, "reject")) drops = true;
    }
  }
  return found;
}

std::string InputFirewallHint() {
  const char* argv[] = {"nft", "list", "ruleset", nullptr};
  gchar* out = nullptr;
  gint status = 0;
  GError* error = nullptr;
  if (!g_spawn_sync(nullptr, const_cast<gchar**>(argv), nullptr,
                    static_cast<GSpawnFlags>(G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL), nullptr, nullptr, &out,
                    nullptr, &status, &error)) {
    log::Debug(std::string("nft list ruleset: ") + (error != nullptr ? error->message : "failed"));
    g_clear_error(&error);
    return {};
  }
  const std::string text = out != nullptr ? out : "";
  g_free(out);
  if (!g_spawn_check_wait_status(status, nullptr)) return {};
  const std::vector<std::string> chains = DroppingInputChains(text);
  if (chains.empty()) return {};
  std::string names;
  for (const std::string& c : chains) names += (names.empty() ? "'" : ", '") + c + "'";
  return "This computer's firewall drops some incoming traffic (nftables: " + names +
         "), which may be the router's answers: its SSDP replies (UDP from the router to the port the search left "
         "from) and its notifications (TCP to the port wpa_supplicant's External Registrar listens on, shown by "
         "'ss -ltnp'); allowing them from the router lets cups-wps press its button.";
}

}  // namespace cupswps::wps
