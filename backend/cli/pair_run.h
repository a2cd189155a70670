// SPDX-License-Identifier: Apache-2.0
// One pairing run from the command line, shared by `pair` and `setup`, in
// two steps so that a command can check everything else before anything is
// armed: ParsePairRequest parses pair's options (plus the command's own),
// checks them and picks the daemon, reading no PIN and arming nothing;
// RunPairing obtains the PIN, runs the WPS session with pair's live view,
// and returns what was paired. The PIN never leaves RunPairing.
#pragma once

#include <glib.h>

#include <chrono>
#include <optional>
#include <string>

#include "backend/cli/commands.h"
#include "wps/local_daemons.h"
#include "wps/session.h"

namespace cupswps::backend {

struct PairRequest {
  int exit_code = kExitOk;  // not kExitOk: the command line was refused (already said why)
  wps::Method method = wps::Method::kPushButton;
  wps::DaemonChoice daemon;
  std::chrono::seconds run_time{120};
  enum class PinFrom { kNone, kGenerate, kFile, kStdin, kPrompt } pin_from = PinFrom::kNone;
  std::string pin_file;
  std::string bssid;  // --bssid, normalized ("" when not given)
  // Router mode: --router-uuid (normalized, "": chosen), --router-wait.
  std::string router_uuid;
  std::chrono::milliseconds router_wait{15000};
  // Router mode: the router's own AP PIN (--router-pin: kPrompt,
  // --router-pin-file: kFile); the printer then gets the router's own network.
  PinFrom router_pin_from = PinFrom::kNone;
  std::string router_pin_file;
  // Router mode, --network: the saved network handed on instead of this host's.
  std::string network;
  bool ap_pin = false;
  bool json = false;  // --json was given
  bool debug = false;
  // Router mode: the caller goes on when the router offers computers no WPS
  // (setup waits for the new printer); RunPairing then says nothing of it.
  bool router_fallback = false;
  // Enrollee: have the printer's network joined once paired (setup, or pair
  // with --keep-network); without it pair only learns the network.
  bool join = false;
  bool keep_network = false;  // --keep-network: it stays joined afterwards
  bool joined = false;        // setup --joined: this host is on it already; nothing is paired
  bool finds_printer = false; // setup: the printer is looked for afterwards (iwd: while the person joins)
};

struct PairRun {
  int exit_code = kExitFailure;
  std::optional<wps::Pairing> pairing;  // set when exit_code is kExitOk
  // Router mode, and the router offers computers no WPS: no External
  // Registrar here, no UPnP answer, or this host is not its station through
  // wpa_supplicant. `no_router_wps` says why ("" when there is no ER at all).
  bool router_without_wps = false;
  std::string no_router_wps;
  // Enrollee, and iwd manages the interface: how the person joins the
  // printer's network (setup waits for the printer meanwhile).
  std::string join_yourself;
  // Enrollee: the printer's access point (--bssid, or found by a scan), or "".
  std::string bssid;
};

// `extra`: the command's own options (terminated by a nullptr long_name), or
// nullptr. `summary`: its --help summary, or nullptr for pair's.
PairRequest ParsePairRequest(const char* command, int argc, char** argv, const GOptionEntry* extra,
                             const char* summary);

// Runs the pairing on a loop of its own; for an enrollee run, with this
// host's Wi-Fi put back as it was before it returns.
PairRun RunPairing(const PairRequest& request);

}  // namespace cupswps::backend
