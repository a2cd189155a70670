// SPDX-License-Identifier: Apache-2.0
// How long a pairing run may stay armed. Pure rules:
// - push button: the WSC walk time, 120 s, and never longer (the standard's
//   limit, and the window in which an overlap is detected);
// - as an enrollee: at most 120 s, after which wpa_supplicant gives up;
// - through the home router (External Registrar): at most 120 s, for which a
//   router keeps a computer's request (hostapd: the selected registrar ends
//   after the walk time);
// - a registrar's PIN: up to 10 minutes; the longer a PIN is armed, the
//   longer others can try guesses against it.
#pragma once

#include <chrono>

#include "common/result.h"
#include "wps/driver.h"

namespace cupswps::wps {

inline constexpr std::chrono::seconds kWalkTime{120};
inline constexpr std::chrono::seconds kMaxRegistrarPinTime{600};

// The run time for `requested_seconds` (0: the default, the walk time), or
// an Error (kInvalidArgument) with the sentence for the user.
// `router`: the run goes through the home router's External Registrar.
Result<std::chrono::seconds> RunTime(Method method, Side side, bool router, int requested_seconds);

}  // namespace cupswps::wps
