// SPDX-License-Identifier: Apache-2.0
// A scripted stand-in for hostapd's control socket, on the test's main
// context: it records the commands it gets, answers them by a table, sends
// events to clients that ATTACHed, and can die (leaving its socket file, as a
// killed hostapd does) or go silent.
#pragma once

#include <glib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/glib.h"

namespace cupswps::wps::testing {

// Runs `context` until `pred` holds or `limit_us` pass (a fake answers at
// once; only timers take real, short, time).
inline bool RunUntil(GMainContext* context, const std::function<bool()>& pred, gint64 limit_us = 3 * G_USEC_PER_SEC) {
  const gint64 end = g_get_monotonic_time() + limit_us;
  SourceGuard tick = Schedule(context, 10, [] { return true; });
  while (!pred()) {
    if (g_get_monotonic_time() > end) return false;
    g_main_context_iteration(context, TRUE);
  }
  return true;
}

class FakeCtrlDaemon {
 public:
  explicit FakeCtrlDaemon(GMainContext* context) {
    char tmpl[] = "/tmp/cups-wps-fake-hostapd-XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ + "/wlan0";
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path_.c_str(), sizeof a.sun_path - 1);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind failed");
    watch_ = WatchFd(context, fd_, G_IO_IN, [this](GIOCondition) {
      OnCommand();
      return true;
    });
  }
  ~FakeCtrlDaemon() {
    watch_.reset();
    if (fd_ >= 0) close(fd_);
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }

  const std::string& path() const { return path_; }
  const std::vector<std::string>& commands() const { return commands_; }
  // Reply per whole command, else per command name (first word); default
  // "OK", PING -> "PONG".
  std::map<std::string, std::string> replies{{"PING", "PONG"}};
  bool silent = false;  // receives but never answers (a hung daemon)

  void SendEvent(const std::string& line) {
    const std::string datagram = "<3>" + line;
    if (attached_) sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&client_), client_len_);
  }
  // Dies as SIGKILL would: the socket file stays, nobody reads it.
  void Die() {
    watch_.reset();
    close(fd_);
    fd_ = -1;
  }

 private:
  void OnCommand() {
    char buf[4096];
    for (;;) {
      sockaddr_un from{};
      socklen_t len = sizeof from;
      const ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) return;
      const std::string command(buf, static_cast<std::size_t>(n));
      commands_.push_back(command);
      const std::string name = command.substr(0, command.find(' '));
      if (name == "ATTACH") {
        client_ = from;
        client_len_ = len;
        attached_ = true;
      }
      if (silent) continue;
      auto it = replies.find(command);
      if (it == replies.end()) it = replies.find(name);
      const std::string reply = (it != replies.end() ? it->second : "OK") + "\n";
      sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }

  std::string dir_, path_;
  int fd_ = -1;
  SourceGuard watch_;
  std::vector<std::string> commands_;
  sockaddr_un client_{};
  socklen_t client_len_ = 0;
  bool attached_ = false;
};

}  // namespace cupswps::wps::testing
