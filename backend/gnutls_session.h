// SPDX-License-Identifier: Apache-2.0
// A TLS client session to a printer's IPPS endpoint through GnuTLS, and the
// key pin (queues/key_pin.h) of the certificate the printer presented in it.
// No certificate is judged otherwise: a printer's certificate is self-signed;
// its key is what identifies it, and the caller compares the pin. The wps
// backend checks a printer with it and relays every job connection over one
// (pinned_relay.h). Blocking, with time limits; one thread at a time.
#pragma once

#include <gnutls/gnutls.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"
#include "discovery/printer.h"

namespace cupswps::backend {

class GnutlsSession {
 public:
  // Connects to the endpoint's numeric address and port, completes the TLS
  // handshake, and reads the pin, all within `timeout`. An Error (kNotFound)
  // when the printer cannot be reached or speaks no TLS there.
  static Result<std::unique_ptr<GnutlsSession>> Connect(const discovery::Endpoint& endpoint,
                                                        std::chrono::milliseconds timeout);
  ~GnutlsSession();  // closes the session (no close_notify wait) and the socket
  GnutlsSession(const GnutlsSession&) = delete;
  GnutlsSession& operator=(const GnutlsSession&) = delete;

  // "sha256/<base64>" of the key in the certificate the printer presented.
  const std::string& key_pin() const { return key_pin_; }
  // The socket, to poll for readability.
  int fd() const { return fd_; }
  // Bytes TLS has decrypted already: read them before polling again.
  std::size_t Pending() const;
  // Up to `size` bytes: > 0 read, 0 at the end of the session, < 0 failed.
  ssize_t Read(void* buf, std::size_t size);
  // Sends everything or fails.
  bool WriteAll(const void* buf, std::size_t size);

 private:
  GnutlsSession() = default;
  int fd_ = -1;
  gnutls_certificate_credentials_t credentials_ = nullptr;
  gnutls_session_t session_ = nullptr;
  std::string key_pin_;
};

// The key pin an IPPS endpoint presents (a session opened and closed).
Result<std::string> KeyPinAt(const discovery::Endpoint& endpoint, std::chrono::milliseconds timeout);

}  // namespace cupswps::backend
