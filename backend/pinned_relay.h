// SPDX-License-Identifier: Apache-2.0
// How a job's bytes reach only the verified printer. CUPS's own ipps backend
// checks a printer's certificate once, after its first connection, against
// a trust store that accepts any newer certificate valid for the address,
// and makes its later connections (its status monitor, every libcups
// reconnect) without any check; so a check made before running it leaves a
// gap (README.md, "Security", has the measurements). Instead the wps backend
// runs CUPS's ipp backend against this relay on a loopback port: for every
// connection the relay accepts it opens a TLS session to the printer, and
// relays a byte only once that very session presented the pinned key. A
// session that presents another key stops the relay: nothing is relayed
// over it, and mismatch() says what it presented.
//
// Threads: Serve runs on the caller's thread (it accepts); each accepted
// connection is relayed on a thread of its own; the destructor stops and
// joins them. Blocking.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "discovery/printer.h"

namespace cupswps::backend {

class PinnedRelay {
 public:
  // Listens on 127.0.0.1 (a port of the kernel's choice) for connections to
  // relay to `printer` (an ipps endpoint) while it presents `key_pin`.
  static Result<std::unique_ptr<PinnedRelay>> Listen(discovery::Endpoint printer, std::string key_pin,
                                                     std::chrono::milliseconds connect_timeout);
  ~PinnedRelay();
  PinnedRelay(const PinnedRelay&) = delete;
  PinnedRelay& operator=(const PinnedRelay&) = delete;

  int port() const { return port_; }

  enum class Wake { kWakeFd, kMismatch };
  // Accepts and relays connections until `wake_fd` is readable (kWakeFd;
  // the caller reads it) or a session presented another key (kMismatch;
  // the relay then accepts nothing more and has closed every connection).
  Wake Serve(int wake_fd);
  // What the session that did not match presented, for the log.
  std::string mismatch() const;

 private:
  PinnedRelay() = default;
  void Relay(int client);
  void Stop();

  discovery::Endpoint printer_;
  std::string key_pin_;
  std::chrono::milliseconds connect_timeout_{0};
  int listen_fd_ = -1;
  int port_ = 0;
  int stop_pipe_[2] = {-1, -1};      // written once: every relay thread ends
  int mismatch_pipe_[2] = {-1, -1};  // written by the thread that saw another key
  std::atomic<bool> stopped_{false};
  mutable std::mutex mu_;
  std::string mismatch_;        // guarded by mu_
  std::vector<int> sockets_;    // guarded by mu_: to shut down when stopping
  std::vector<std::thread> threads_;
};

}  // namespace cupswps::backend
