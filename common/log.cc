// SPDX-License-Identifier: Apache-2.0
// Logging to stderr; see log.h.
#include "common/log.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace cupswps::log {
namespace {

Style g_style = Style::kPlain;
bool g_debug = [] {
  const char* env = std::getenv("CUPS_WPS_DEBUG");
  return env != nullptr && *env != '\0' && std::string_view(env) != "0";
}();

void Write(std::string_view prefix, std::string_view message) {
  std::string line;
  line.reserve(prefix.size() + message.size() + 1);
  line.append(prefix).append(message).push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void Configure(Style style, bool debug) {
  g_style = style;
  g_debug = g_debug || debug || style == Style::kBackend;
}

bool DebugEnabled() { return g_debug; }

void Debug(std::string_view message) {
  if (!g_debug) return;
  Write(g_style == Style::kBackend ? "DEBUG: " : "cups-wps: debug: ", message);
}

void Info(std::string_view message) {
  Write(g_style == Style::kBackend ? "INFO: " : "cups-wps: ", message);
}

void Error(std::string_view message) {
  Write(g_style == Style::kBackend ? "ERROR: " : "cups-wps: ", message);
}

}  // namespace cupswps::log
