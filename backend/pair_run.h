// One pairing run from the command line, shared by `pair` and `setup`:
// parses pair's options (plus a command's own), picks the daemon, obtains
// the PIN, runs the WPS session with pair's live view, and returns what was
// paired. The PIN never leaves this call.
#pragma once

#include <glib.h>

#include <optional>
#include <string>

#include "backend/commands.h"
#include "wps/session.h"

namespace cupswps::backend {

struct PairRun {
  int exit_code = kExitFailure;
  std::optional<wps::Pairing> pairing;  // set when exit_code is kExitOk
  bool json = false;                    // --json was given
  bool debug = false;
  std::string target;  // the daemon's: hostapd's control socket, or wpa_supplicant's interface
  std::string bssid;   // --bssid, normalized ("" when not given)
};

// `extra`: the command's own options (terminated by a nullptr long_name), or
// nullptr. `summary`: its --help summary, or nullptr for pair's.
PairRun ParseAndPair(const char* command, int argc, char** argv, const GOptionEntry* extra, const char* summary);

}  // namespace cupswps::backend
