// SPDX-License-Identifier: Apache-2.0
// Where `pair` gets a PIN from: a file, standard input, or a prompt on the
// terminal that does not echo. Never from the command line, where every
// user of the machine could read it in the process list.
#pragma once

#include <string>

#include "common/result.h"
#include "wps/pin.h"

namespace cupswps::wps {

// The first line of `path` (at most 255 bytes). Refuses a file that others
// may read, as ssh does for keys: the PIN would not be a secret there.
Result<Pin> ReadPinFile(const std::string& path);

// The first line of the file descriptor (standard input for --pin-stdin).
Result<Pin> ReadPinFd(int fd);

// Asks on the controlling terminal (/dev/tty) with echo off; restores the
// terminal also when interrupted by SIGINT/SIGTERM.
Result<Pin> PromptPin(const char* prompt);

}  // namespace cupswps::wps
