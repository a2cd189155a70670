// SPDX-License-Identifier: Apache-2.0
// Small helpers the sub-commands share: option parsing with one clear error
// line, and unbuffered writes to stdout.
#pragma once

#include <glib.h>

#include <string>

#include "common/glib.h"

namespace cupswps::backend {

// Parses GOption `entries`; on a usage error says why ("... (see 'cups-wps
// COMMAND --help')") and returns false. `summary` may be nullptr.
bool ParseOptions(const char* command, const char* synopsis, const char* summary, const GOptionEntry* entries,
                  int* argc, char*** argv);

// The default main loop of a one-shot command that waits for something
// (setup): Run returns at Quit, or when SIGINT or SIGTERM comes (then
// interrupted() is true) unless `handle_signals` is false (something else on
// the loop handles them). Outside Run the signals keep their default action.
class CommandLoop {
 public:
  CommandLoop();
  void Run(bool handle_signals = true);
  void Quit();
  bool interrupted() const { return interrupted_; }

 private:
  MainLoopPtr loop_;
  bool interrupted_ = false;
};

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
