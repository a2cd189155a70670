// SPDX-License-Identifier: Apache-2.0
// A client of the control socket of hostapd or wpa_supplicant (UNIX
// datagram socket, the protocol of their wpa_ctrl library) on a GLib main
// context: commands are answered in order, and unsolicited events ("<N>...")
// arrive in between once ATTACHed. Replies and events are delivered from the
// context's loop.
#pragma once

#include <glib.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/glib.h"
#include "wps/secret.h"

namespace cupswps::wps {

class CtrlSocket {
 public:
  struct Options {
    std::string daemon = "hostapd";  // for messages
    std::chrono::milliseconds reply_timeout{2000};
  };
  struct Callbacks {
    std::function<void(std::string_view line)> event;  // one event datagram
    // The socket stopped working (the daemon went away); called once, after
    // which every pending and later request fails.
    std::function<void(const Error&)> broken;
  };
  using ReplyFn = std::function<void(const Result<std::string>& reply)>;

  // Connects to the daemon's socket at `path`. The Error (kWpsNoDaemon) says
  // what is wrong in one sentence: no socket, a stale one, no permission.
  static Result<std::unique_ptr<CtrlSocket>> Open(GMainContext* context, const std::string& path, Options options,
                                                  Callbacks callbacks);
  ~CtrlSocket();  // closes and removes our end
  CtrlSocket(const CtrlSocket&) = delete;
  CtrlSocket& operator=(const CtrlSocket&) = delete;

  // Sends `command` (wiped once sent: it may hold a PIN); `shown` is what the
  // debug log says instead ("" for nothing: pings). `reply` gets the answer without its trailing
  // newline, or an Error (kWpsDaemonGone) when the daemon did not answer in
  // time or the socket broke. `reply` never runs from inside Request.
  void Request(SecretString command, std::string shown, ReplyFn reply);

  const std::string& path() const { return path_; }
  bool broken() const { return broken_; }

 private:
  struct Pending {
    std::string shown;
    ReplyFn reply;
  };
  CtrlSocket(GMainContext* context, std::string path, Options options, Callbacks callbacks);
  bool OnReadable();
  void OnReplyTimeout();
  void ArmReplyTimer();
  void Break(Error error);

  GMainContext* context_;
  std::string path_;
  Options options_;
  Callbacks callbacks_;
  int fd_ = -1;
  std::string local_dir_;  // our bound end lives here (mode 0700)
  std::deque<Pending> pending_;
  bool broken_ = false;
  Error broken_error_;
  SourceGuard watch_;
  SourceGuard reply_timer_;
  Poster poster_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace cupswps::wps
