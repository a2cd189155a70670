// SPDX-License-Identifier: Apache-2.0
// cups-wps: the helper program. Dispatches to the sub-commands.
#include <cstdio>
#include <cstring>
#include <string>

#include "backend/cli/commands.h"
#include "common/log.h"

namespace {

constexpr char kUsage[] =
    "Usage: cups-wps COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  list      List the printers on the network that have no CUPS queue yet\n"
    "  pair      Put a printer on the network with WPS (push button or PIN)\n"
    "  add       Make a driverless CUPS queue for a printer\n"
    "  remove    Delete a queue that cups-wps made\n"
    "  watch     Keep running and make queues for printers as they appear\n"
    "  setup     Pair a printer, wait for it on the network, make its queue, print a test page\n"
    "  trust     Trust the printer that answers for a queue now (after it was reset or replaced)\n"
    "\n"
    "Run 'cups-wps COMMAND --help' for the options of a command.\n"
    "  --version   Print the version\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace cupswps::backend;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "--version" || command == "-V") {
    std::printf("cups-wps %s\n", CUPS_WPS_VERSION);
    return kExitOk;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  // The sub-command sees itself as argv[0].
  if (command == "list") return RunList(argc - 1, argv + 1);
  if (command == "pair") return RunPair(argc - 1, argv + 1);
  if (command == "add") return RunAdd(argc - 1, argv + 1);
  if (command == "remove") return RunRemove(argc - 1, argv + 1);
  if (command == "watch") return RunWatch(argc - 1, argv + 1);
  if (command == "setup") return RunSetup(argc - 1, argv + 1);
  if (command == "trust") return RunTrust(argc - 1, argv + 1);
  cupswps::log::Error("unknown command '" + command + "' (see 'cups-wps --help')");
  return kExitUsage;
}
