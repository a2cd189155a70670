// Small helpers the sub-commands share: option parsing with one clear error
// line, and unbuffered writes to stdout.
#pragma once

#include <glib.h>

#include <string>

namespace cupswps::backend {

// Parses GOption `entries`; on a usage error says why ("... (see 'cups-wps
// COMMAND --help')") and returns false. `summary` may be nullptr.
bool ParseOptions(const char* command, const char* synopsis, const char* summary, const GOptionEntry* entries,
                  int* argc, char*** argv);

// Writes `s` to stdout and flushes (JSON lines reach pipes at once).
void Out(const std::string& s);

}  // namespace cupswps::backend
