// SPDX-License-Identifier: Apache-2.0
// Error and Result: what crosses a module boundary. The code is a stable enum;
// `detail` is for the debug log, `message` is the one sentence a user sees.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cupswps {

enum class ErrorCode {
  kOk = 0,
  kAvahiUnavailable,   // avahi-daemon cannot be reached
  kCupsUnavailable,    // cupsd cannot be reached
  kCupsRefused,        // cupsd answered with an error status
  kTimeout,
  kInvalidArgument,
  kNotFound,
  kInternal,
  // Wi-Fi Protected Setup (wps/): why a pairing run did not pair.
  kWpsWrongPin,     // the enrollee and the registrar used different PINs
  kWpsOverlap,      // two devices in push-button mode at once
  kWpsLocked,       // the access point locked its PIN after failed attempts
  kWpsNoDaemon,     // no hostapd / wpa_supplicant to talk to
  kWpsNoRouterWps,  // the home router offers computers no WPS (no UPnP WPS, or no settings to give it)
  kWpsDaemonGone,   // the daemon went away during the run
  kWpsRefused,      // the daemon refused to start WPS
  kWpsFailed,       // the exchange failed for another reason
  kCancelled,       // the user interrupted
  kRefused,         // the printer or policy was refused (unsafe attributes, denied, not IPP)
  kQueueExists,     // a CUPS queue of that name exists already
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // one sentence for the user: what failed, what to do
  std::string detail;   // library codes and such, for the debug log only
};

// A value or an Error. Small on purpose: C++20 has no std::expected.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(v_); }
  const T& value() const { return std::get<T>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Success, or an Error: for operations that have no value to return.
class Status {
 public:
  Status() = default;                                   // success
  Status(Error error) : error_(std::move(error)) {}     // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace cupswps
