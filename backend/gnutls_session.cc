// SPDX-License-Identifier: Apache-2.0
// TLS sessions to printers; see gnutls_session.h.
#include "backend/gnutls_session.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "queues/key_pin.h"

namespace cupswps::backend {
namespace {

// The one place where a failure to reach a printer over TLS (a socket errno
// or a GnuTLS code) becomes an Error.
Error TlsFailure(const discovery::Endpoint& e, const std::string& step, int errno_value, int gnutls_code = 0) {
  const std::string why = gnutls_code != 0 ? gnutls_strerror(gnutls_code) : std::strerror(errno_value);
  return Error{ErrorCode::kNotFound, "Cannot reach the printer at " + e.Uri() + " over TLS.", step + ": " + why};
}

// A connected, blocking TCP socket, or -1 (errno set).
int ConnectTcp(const discovery::Endpoint& e, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* list = nullptr;
  if (getaddrinfo(e.address.c_str(), std::to_string(e.port).c_str(), &hints, &list) != 0 || list == nullptr) {
    errno = EINVAL;
    return -1;
  }
  const int fd = socket(list->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int rc = fd < 0 ? -1 : connect(fd, list->ai_addr, list->ai_addrlen);
  freeaddrinfo(list);
  if (fd < 0) return -1;
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    do {
      rc = poll(&p, 1, static_cast<int>(timeout.count()));
    } while (rc < 0 && errno == EINTR);
    int err = rc == 0 ? ETIMEDOUT : errno;
    socklen_t len = sizeof err;
    if (rc > 0) getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    rc = err == 0 ? 0 : -1;
    errno = err;
  }
  // IPP requests go out in pieces (header, then body): Nagle's algorithm and
  // delayed acknowledgements would hold each for 40 ms (as libcups, no delay).
  const int one = 1;
  if (rc == 0) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (rc != 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
    const int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<GnutlsSession>> GnutlsSession::Connect(const discovery::Endpoint& e,
                                                              std::chrono::milliseconds timeout) {
  std::unique_ptr<GnutlsSession> s(new GnutlsSession());
  s->fd_ = ConnectTcp(e, timeout);
  if (s->fd_ < 0) return TlsFailure(e, "connect", errno);
  int rc = gnutls_certificate_allocate_credentials(&s->credentials_);
  if (rc >= 0) rc = gnutls_init(&s->session_, GNUTLS_CLIENT);
  if (rc >= 0) rc = gnutls_set_default_priority(s->session_);
  if (rc >= 0) rc = gnutls_credentials_set(s->session_, GNUTLS_CRD_CERTIFICATE, s->credentials_);
  if (rc < 0) return TlsFailure(e, "TLS setup", 0, rc);
  gnutls_transport_set_int(s->session_, s->fd_);
  gnutls_handshake_set_timeout(s->session_, static_cast<unsigned>(timeout.count()));
  do {
    rc = gnutls_handshake(s->session_);
  } while (rc < 0 && gnutls_error_is_fatal(rc) == 0);
  if (rc < 0) return TlsFailure(e, "TLS handshake", 0, rc);
  unsigned count = 0;
  const gnutls_datum_t* chain = gnutls_certificate_get_peers(s->session_, &count);
  if (chain == nullptr || count == 0) return TlsFailure(e, "TLS handshake", EPROTO);
  auto pin = queues::KeyPinOfCertificate(chain[0].data, chain[0].size);
  if (!pin) return Error{pin.error().code, pin.error().message + " (" + e.Uri() + ")", pin.error().detail};
  s->key_pin_ = std::move(*pin);
  return s;
}

GnutlsSession::~GnutlsSession() {
  if (session_ != nullptr) gnutls_deinit(session_);
  if (credentials_ != nullptr) gnutls_certificate_free_credentials(credentials_);
  if (fd_ >= 0) close(fd_);
}

std::size_t GnutlsSession::Pending() const { return gnutls_record_check_pending(session_); }

ssize_t GnutlsSession::Read(void* buf, std::size_t size) {
  for (;;) {
    const ssize_t n = gnutls_record_recv(session_, buf, size);
    if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) continue;
    if (n == GNUTLS_E_PREMATURE_TERMINATION) return 0;  // printers often close without close_notify
    return n < 0 ? -1 : n;
  }
}

bool GnutlsSession::WriteAll(const void* buf, std::size_t size) {
  const auto* p = static_cast<const char*>(buf);
  while (size > 0) {
    const ssize_t n = gnutls_record_send(session_, p, size);
    if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

Result<std::string> KeyPinAt(const discovery::Endpoint& endpoint, std::chrono::milliseconds timeout) {
  auto session = GnutlsSession::Connect(endpoint, timeout);
  if (!session) return session.error();
  return (*session)->key_pin();
}

}  // namespace cupswps::backend
