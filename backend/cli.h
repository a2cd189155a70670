// Small helpers the sub-commands share: option parsing with one clear error
// line, and unbuffered writes to stdout.
#pragma once

#include <glib.h>

#include <atomic>
#include <string>

namespace cupswps::backend {

// Parses GOption `entries`; on a usage error says why ("... (see 'cups-wps
// COMMAND --help')") and returns false. `summary` may be nullptr.
bool ParseOptions(const char* command, const char* synopsis, const char* summary, const GOptionEntry* entries,
                  int* argc, char*** argv);

// For commands that block (add, setup): SIGINT and SIGTERM set a flag that
// their loops check, so that they stop and undo what they half made.
void CancelOnSignals();
const std::atomic<bool>& CancelRequested();

// A GOption string result as a std::string (`fallback` when the option was
// not given); frees the GLib string and clears the pointer.
std::string TakeOption(gchar*& value, const char* fallback = "");

// Writes `s` to stdout and flushes (JSON lines reach pipes at once).
void Out(const std::string& s);

// Changing CUPS queues (add, remove, watch, setup) is for root and the
// lpadmin group, as lpadmin(8) is. Returns false (having said so in one
// sentence) for anyone else. CUPS_WPS_ADMIN_GROUP names another group.
bool MayAdministerQueues(const char* command);

}  // namespace cupswps::backend
