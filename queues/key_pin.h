// SPDX-License-Identifier: Apache-2.0
// The key pin of a TLS peer: SHA-256 over the SubjectPublicKeyInfo of its
// certificate, in base64 (RFC 7469's pin-sha256), written "sha256/<base64>".
// It names the key, not the certificate: a printer that renews its
// certificate with the same key keeps its pin. GnuTLS (the TLS library of
// Debian's libcups) parses the certificate, which is untrusted input.
#pragma once

#include <cups/http.h>

#include <cstddef>
#include <string>

#include "common/result.h"

namespace cupswps::queues {

// The pin of a DER-encoded X.509 certificate; an Error when it is not one.
Result<std::string> KeyPinOfCertificate(const void* der, std::size_t size);

// The pin of the certificate the peer of an encrypted libcups connection
// presented (httpCopyCredentials: its first certificate).
Result<std::string> KeyPinOfPeer(http_t* http);

}  // namespace cupswps::queues
