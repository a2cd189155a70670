// SPDX-License-Identifier: Apache-2.0
// The verifying relay; see pinned_relay.h.
#include "backend/pinned_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "backend/gnutls_session.h"
#include "common/log.h"

namespace cupswps::backend {
namespace {

constexpr std::size_t kBuffer = 16384;
constexpr std::size_t kMaxConnections = 32;  // the ipp backend uses two or three

bool WriteAllPlain(int fd, const char* p, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Copies both ways until either side ends or `stop_fd` is readable.
void Copy(int client, GnutlsSession& tls, int stop_fd) {
  char buf[kBuffer];
  for (;;) {
    if (tls.Pending() == 0) {
      pollfd p[3] = {{client, POLLIN, 0}, {tls.fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
      if (poll(p, 3, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (p[2].revents != 0) return;
      if (p[0].revents != 0) {
        ssize_t n;
        do {
          n = read(client, buf, sizeof buf);
        } while (n < 0 && errno == EINTR);
        if (n <= 0 || !tls.WriteAll(buf, static_cast<std::size_t>(n))) return;
      }
      if (p[1].revents == 0) continue;
    }
    const ssize_t n = tls.Read(buf, sizeof buf);
    if (n <= 0 || !WriteAllPlain(client, buf, static_cast<std::size_t>(n))) return;
  }
}

}  // namespace

Result<std::unique_ptr<PinnedRelay>> PinnedRelay::Listen(discovery::Endpoint printer, std::string key_pin,
                                                         std::chrono::milliseconds connect_timeout) {
  std::unique_ptr<PinnedRelay> r(new PinnedRelay());
  r->printer_ = std::move(printer);
  r->key_pin_ = std::move(key_pin);
  r->connect_timeout_ = connect_timeout;
  auto failed = [](const char* what) {
    return Error{ErrorCode::kInternal, "Cannot set up the connection to the printer.",
                 std::string(what) + ": " + std::strerror(errno)};
  };
  if (pipe2(r->stop_pipe_, O_CLOEXEC) != 0 || pipe2(r->mismatch_pipe_, O_CLOEXEC) != 0) return failed("pipe2");
  r->listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (r->listen_fd_ < 0) return failed("socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(r->listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return failed("bind");
  if (listen(r->listen_fd_, 8) != 0) return failed("listen");
  if (getsockname(r->listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) return failed("getsockname");
  r->port_ = ntohs(a.sin_port);
  return r;
}

PinnedRelay::~PinnedRelay() {
  Stop();
  for (std::thread& t : threads_) t.join();
  for (int fd : {stop_pipe_[0], stop_pipe_[1], mismatch_pipe_[0], mismatch_pipe_[1]}) {
    if (fd >= 0) close(fd);
  }
}

void PinnedRelay::Stop() {
  if (stopped_.exchange(true)) return;
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
  }
  if (stop_pipe_[1] >= 0 && write(stop_pipe_[1], "x", 1) < 0) { /* the threads also see their sockets shut */ }
  std::lock_guard<std::mutex> lock(mu_);
  // A thread blocked writing to a side that does not read returns now.
  for (int fd : sockets_) shutdown(fd, SHUT_RDWR);
}

std::string PinnedRelay::mismatch() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mismatch_;
}

PinnedRelay::Wake PinnedRelay::Serve(int wake_fd) {
  for (;;) {
    if (stopped_) return Wake::kMismatch;
    pollfd p[3] = {{listen_fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}, {mismatch_pipe_[0], POLLIN, 0}};
    if (poll(p, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return Wake::kWakeFd;
    }
    if (p[2].revents != 0) {
      Stop();
      return Wake::kMismatch;
    }
    if (p[1].revents != 0) return Wake::kWakeFd;
    if (p[0].revents == 0) continue;
    const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int one = 1;  // see gnutls_session.cc: no 40 ms stalls
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (threads_.size() >= kMaxConnections) {
      close(client);
      continue;
    }
    threads_.emplace_back([this, client] { Relay(client); });
  }
}

void PinnedRelay::Relay(int client) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    sockets_.push_back(client);
  }
  auto session = GnutlsSession::Connect(printer_, connect_timeout_);
  if (!session) {
    log::Debug(session.error().message + " " + session.error().detail);
  } else if ((*session)->key_pin() != key_pin_) {
    // Not one byte goes over this session, nor over any other from now on.
    std::lock_guard<std::mutex> lock(mu_);
    if (mismatch_.empty()) mismatch_ = (*session)->key_pin();
    if (write(mismatch_pipe_[1], "x", 1) < 0) { /* Serve also polls stopped_ */ }
  } else {
    bool stopping;
    {
      // Stop sets stopped_ before it shuts down what is listed here.
      std::lock_guard<std::mutex> lock(mu_);
      sockets_.push_back((*session)->fd());
      stopping = stopped_;
    }
    if (!stopping) Copy(client, **session, stop_pipe_[0]);
  }
  std::lock_guard<std::mutex> lock(mu_);
  sockets_.erase(std::remove(sockets_.begin(), sockets_.end(), client), sockets_.end());
  if (session) sockets_.erase(std::remove(sockets_.begin(), sockets_.end(), (*session)->fd()), sockets_.end());
  close(client);
  // The session closes when `session` goes, after its fd left sockets_.
}

}  // namespace cupswps::backend
