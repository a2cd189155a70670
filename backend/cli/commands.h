// SPDX-License-Identifier: Apache-2.0
// Sub-commands of the cups-wps helper. Each takes the arguments after its
// name (argv[0] is the sub-command) and returns the process exit status.
#pragma once

namespace cupswps::backend {

// Exit statuses shared by every sub-command (documented in cups-wps(1)).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // a daemon could not be reached, or the work failed
inline constexpr int kExitUsage = 2;    // bad command line
// `pair`: why no printer was paired (one code per cause, for scripts).
inline constexpr int kExitWrongPin = 3;       // the two sides used different PINs
inline constexpr int kExitTimeout = 4;        // no printer within the walk time / --timeout
inline constexpr int kExitOverlap = 5;        // several devices in push-button mode at once
inline constexpr int kExitLocked = 6;         // the access point locked its PIN
inline constexpr int kExitNoDaemon = 7;       // no hostapd / wpa_supplicant, or it went away
// `setup`: the printer paired but did not advertise IPP in time.
inline constexpr int kExitNotAdvertising = 8;
inline constexpr int kExitInterrupted = 130;  // Ctrl-C or SIGTERM (the daemon was disarmed)

int RunList(int argc, char** argv);
int RunPair(int argc, char** argv);
int RunAdd(int argc, char** argv);
int RunRemove(int argc, char** argv);
int RunWatch(int argc, char** argv);
int RunSetup(int argc, char** argv);
int RunTrust(int argc, char** argv);

}  // namespace cupswps::backend
