// SPDX-License-Identifier: Apache-2.0
// `cups-wps pair`: put a printer on the network with Wi-Fi Protected Setup,
// push button or PIN, through the host's hostapd (this host is the access
// point) or wpa_supplicant (this host joins the printer's network). The
// wps/ module does the work; pair_run.h is the command line and pair_view.h
// the display.
#include "backend/cli/commands.h"
#include "backend/cli/pair_run.h"

namespace cupswps::backend {

int RunPair(int argc, char** argv) {
  const PairRequest request = ParsePairRequest("pair", argc, argv, nullptr, nullptr);
  if (request.exit_code != kExitOk) return request.exit_code;
  return RunPairing(request).exit_code;
}

}  // namespace cupswps::backend
