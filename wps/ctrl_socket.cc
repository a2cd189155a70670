// SPDX-License-Identifier: Apache-2.0
// Control-socket client; see ctrl_socket.h. Every errno is turned into an
// Error in SocketError, nowhere else.
#include "wps/ctrl_socket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "wps/ctrl_event.h"

namespace cupswps::wps {
namespace {

constexpr std::size_t kMaxDatagram = 8192;

Error SocketError(int err, const std::string& path, const std::string& daemon, std::string_view op) {
  std::string message;
  ErrorCode code = ErrorCode::kWpsNoDaemon;
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      message = "There is no " + daemon + " control socket at " + path + "; is " + daemon +
                " running with ctrl_interface set?";
      break;
    case ECONNREFUSED:
    case ENOTCONN:
    case ECONNRESET:
      message = daemon + " is not running (nothing answers at " + path + ").";
      break;
    case EACCES:
    case EPERM:
      message = "Not allowed to use " + daemon + "'s control socket " + path +
                "; run as root or as a member of its ctrl_interface_group.";
      break;
    case EPROTOTYPE:
    case ENOTSOCK:
      message = path + " is not a control socket of " + daemon + ".";
      break;
    default:
      code = ErrorCode::kInternal;
      message = "Cannot talk to " + daemon + " at " + path + ".";
  }
  return Error{code, std::move(message), std::string(op) + ": " + std::strerror(err)};
}

}  // namespace

Result<std::unique_ptr<CtrlSocket>> CtrlSocket::Open(GMainContext* context, const std::string& path,
                                                     Options options, Callbacks callbacks) {
  std::unique_ptr<CtrlSocket> s(new CtrlSocket(context, path, std::move(options), std::move(callbacks)));
  sockaddr_un remote{};
  remote.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof remote.sun_path) {
    return Error{ErrorCode::kInvalidArgument, "'" + path + "' is not a usable control socket path.", ""};
  }
  std::memcpy(remote.sun_path, path.c_str(), path.size() + 1);

  s->fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s->fd_ < 0) return SocketError(errno, path, s->options_.daemon, "socket");
  // The daemon answers to our socket's address, so it must have one: a
  // private directory keeps others from sending us fake replies.
  GError* raw = nullptr;
  gchar* dir = g_dir_make_tmp("cups-wps-ctrl-XXXXXX", &raw);
  if (dir == nullptr) {
    Error e{ErrorCode::kInternal, "Cannot create a temporary directory for the control socket.",
            raw != nullptr ? raw->message : ""};
    if (raw != nullptr) g_error_free(raw);
    return e;
  }
  s->local_dir_ = dir;
  g_free(dir);
  sockaddr_un local{};
  local.sun_family = AF_UNIX;
  const std::string local_path = s->local_dir_ + "/ctrl";
  if (local_path.size() >= sizeof local.sun_path) {
    return Error{ErrorCode::kInternal, "The temporary directory's path is too long for a socket.", local_path};
  }
  std::memcpy(local.sun_path, local_path.c_str(), local_path.size() + 1);
  if (bind(s->fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    return SocketError(errno, local_path, s->options_.daemon, "bind");
  }
  if (connect(s->fd_, reinterpret_cast<const sockaddr*>(&remote), sizeof remote) != 0) {
    return SocketError(errno, path, s->options_.daemon, "connect");
  }
  CtrlSocket* raw_self = s.get();
  s->watch_ = WatchFd(context, s->fd_, G_IO_IN, [raw_self](GIOCondition) { return raw_self->OnReadable(); });
  return s;
}

CtrlSocket::CtrlSocket(GMainContext* context, std::string path, Options options, Callbacks callbacks)
    : context_(context),
      path_(std::move(path)),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      poster_(context) {}

CtrlSocket::~CtrlSocket() {
  watch_.reset();
  reply_timer_.reset();
  if (fd_ >= 0) close(fd_);
  if (!local_dir_.empty()) {
    unlink((local_dir_ + "/ctrl").c_str());
    rmdir(local_dir_.c_str());
  }
}

void CtrlSocket::Request(SecretString command, std::string shown, ReplyFn reply) {
  if (broken_) {
    poster_.Post([reply = std::move(reply), error = broken_error_] { reply(error); });
    return;
  }
  if (!shown.empty()) log::Debug(options_.daemon + " <- " + shown);
  const std::string& c = command.str();
  ssize_t n;
  do {
    n = send(fd_, c.data(), c.size(), 0);
  } while (n < 0 && errno == EINTR);
  const int err = errno;
  if (n < 0) {
    // EAGAIN: the daemon has stopped reading its socket.
    Error e = SocketError(err == EAGAIN ? ECONNREFUSED : err, path_, options_.daemon, "send " + shown);
    e.code = ErrorCode::kWpsDaemonGone;
    poster_.Post([reply = std::move(reply), e] { reply(e); });
    Break(std::move(e));
    return;
  }
  pending_.push_back(Pending{std::move(shown), std::move(reply)});
  if (pending_.size() == 1) ArmReplyTimer();
}

void CtrlSocket::ArmReplyTimer() {
  reply_timer_ = Schedule(context_, static_cast<guint>(options_.reply_timeout.count()), [this] {
    OnReplyTimeout();
    return false;
  });
}

bool CtrlSocket::OnReadable() {
  const std::weak_ptr<bool> alive = alive_;
  char buf[kMaxDatagram];
  for (;;) {
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return true;
      Break(SocketError(errno, path_, options_.daemon, "recv"));
      return false;
    }
    std::string_view datagram(buf, static_cast<std::size_t>(n));
    if (IsCtrlEvent(datagram)) {
      if (callbacks_.event) callbacks_.event(datagram);
    } else if (!pending_.empty()) {
      while (!datagram.empty() && datagram.back() == '\n') datagram.remove_suffix(1);
      Pending p = std::move(pending_.front());
      pending_.pop_front();
      reply_timer_.reset();
      if (!pending_.empty()) ArmReplyTimer();
      // The reply itself is not logged: wpa_supplicant answers WPS_PIN with the PIN.
      if (!p.shown.empty()) log::Debug(options_.daemon + " answered " + p.shown);
      p.reply(std::string(datagram));
    } else {
      log::Debug(options_.daemon + ": unexpected reply ignored");
    }
    Wipe(buf, static_cast<std::size_t>(n));  // an event may have carried a key
    if (alive.expired()) return false;  // a callback ended our owner
  }
}

void CtrlSocket::OnReplyTimeout() {
  if (pending_.empty()) return;
  Break(Error{ErrorCode::kWpsDaemonGone, options_.daemon + " stopped answering on " + path_ + ".",
              "no reply to " + (pending_.front().shown.empty() ? std::string("PING") : pending_.front().shown) + " within " +
                  std::to_string(options_.reply_timeout.count()) + " ms"});
}

void CtrlSocket::Break(Error error) {
  if (broken_) return;
  broken_ = true;
  error.code = ErrorCode::kWpsDaemonGone;
  broken_error_ = error;
  watch_.reset();
  reply_timer_.reset();
  std::deque<Pending> pending = std::move(pending_);
  pending_.clear();
  for (Pending& p : pending) {
    poster_.Post([reply = std::move(p.reply), error] { reply(error); });
  }
  if (callbacks_.broken) {
    poster_.Post([fn = callbacks_.broken, error] { fn(error); });
  }
}

}  // namespace cupswps::wps
