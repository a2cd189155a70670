// SPDX-License-Identifier: Apache-2.0
// Logging. Debug lines are off unless enabled (--debug, CUPS_WPS_DEBUG=1, or
// backend mode where CUPS collects "DEBUG:" lines). Everything goes to stderr.
// Never pass a secret (PIN, key) to these functions.
#pragma once

#include <string_view>

namespace cupswps::log {

enum class Style {
  kPlain,    // "cups-wps: message"
  kBackend,  // CUPS backend protocol: "DEBUG: message", "ERROR: message"
};

void Configure(Style style, bool debug);
bool DebugEnabled();

void Debug(std::string_view message);
void Info(std::string_view message);
void Error(std::string_view message);

}  // namespace cupswps::log
