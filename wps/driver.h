// SPDX-License-Identifier: Apache-2.0
// What a Session needs from a Wi-Fi daemon, whichever side this host plays:
// arm WPS, report what happens, disarm. The two seams, WpsRegistrar and
// WpsEnrollee, are this interface with different promises about the events
// (see registrar.h and enrollee.h).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "wps/event.h"
#include "wps/pin.h"

namespace cupswps::wps {

// Which side of the exchange this host plays.
enum class Side {
  kRegistrar,  // this host's access point hands out its network; the printer enrolls
  kEnrollee,   // this host joins the printer's network
};

enum class Method {
  kPushButton,  // PBC: both sides press a button within the walk time
  kPin,         // both sides use the same device password
};

struct Arming {
  Method method = Method::kPushButton;
  const Pin* pin = nullptr;  // kPin: borrowed; read during Arm only
  std::chrono::seconds timeout{120};  // how long the daemon itself may stay armed
};

class WpsDriver {
 public:
  using EventSink = std::function<void(const Event&)>;
  virtual ~WpsDriver() = default;

  // "hostapd at /run/hostapd/wlan0", for messages.
  virtual std::string Describe() const = 0;

  // Connects to the daemon and starts WPS. Every outcome arrives through
  // `sink`, from the driver's main context and never from inside Arm: first
  // kArmed, kUnavailable or kRefused, then whatever the daemon reports, until
  // Disarm. Destroying the driver stops the events. Call Arm once.
  virtual void Arm(const Arming& arming, EventSink sink) = 0;

  // Stops WPS on the daemon (nothing is left armed) and stops the events;
  // `done` runs once the daemon confirmed, or could not be reached, from the
  // main context and never from inside Disarm. `run_succeeded`: the daemon
  // ends a successful run by itself, and cancelling right after success
  // would cut off the connection that was just made, so drivers only detach.
  virtual void Disarm(bool run_succeeded, std::function<void()> done) = 0;
};

}  // namespace cupswps::wps
