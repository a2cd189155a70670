// Sub-commands of the cups-wps helper. Each takes the arguments after its
// name (argv[0] is the sub-command) and returns the process exit status.
#pragma once

namespace cupswps::backend {

// Exit statuses shared by every sub-command (documented in cups-wps(1)).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // a daemon could not be reached, or the work failed
inline constexpr int kExitUsage = 2;    // bad command line

int RunList(int argc, char** argv);
int RunAdd(int argc, char** argv);
int RunRemove(int argc, char** argv);
int RunWatch(int argc, char** argv);

}  // namespace cupswps::backend
