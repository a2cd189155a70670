// SPDX-License-Identifier: Apache-2.0
// Run-time rules; see walk_time.h.
#include "wps/walk_time.h"

#include <string>

namespace cupswps::wps {

Result<std::chrono::seconds> RunTime(Method method, Side side, bool router, int requested_seconds) {
  if (requested_seconds < 0) {
    return Error{ErrorCode::kInvalidArgument, "--timeout takes a positive number of seconds.", ""};
  }
  if (requested_seconds == 0) return kWalkTime;
  const std::chrono::seconds requested{requested_seconds};
  if (method == Method::kPushButton && requested > kWalkTime) {
    return Error{ErrorCode::kInvalidArgument,
                 "Push-button pairing lasts at most the 120 s walk time of the WPS standard; use a "
                 "--timeout of 120 or less.",
                 ""};
  }
  if (side == Side::kEnrollee && requested > kWalkTime) {
    return Error{ErrorCode::kInvalidArgument,
                 "wpa_supplicant gives up after 120 s; use a --timeout of 120 or less.", ""};
  }
  if (router && requested > kWalkTime) {
    return Error{ErrorCode::kInvalidArgument,
                 "A router keeps a computer's WPS request for 120 s only; use a --timeout of 120 or less.", ""};
  }
  if (requested > kMaxRegistrarPinTime) {
    return Error{ErrorCode::kInvalidArgument,
                 "A PIN stays armed at most " + std::to_string(kMaxRegistrarPinTime.count()) +
                     " s, so that others have little time to guess it; use a shorter --timeout.",
                 ""};
  }
  return requested;
}

}  // namespace cupswps::wps
