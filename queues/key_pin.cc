// SPDX-License-Identifier: Apache-2.0
// Key pins through GnuTLS; see key_pin.h.
#include "queues/key_pin.h"

#include <cups/cups.h>
#include <glib.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "common/handle.h"

namespace cupswps::queues {
namespace {

using CertPtr = CPtr<gnutls_x509_crt_int, gnutls_x509_crt_deinit>;
using PubkeyPtr = CPtr<gnutls_pubkey_st, gnutls_pubkey_deinit>;

Error NotACertificate(const std::string& detail) {
  return Error{ErrorCode::kRefused, "The printer's TLS certificate cannot be read.", detail};
}

}  // namespace

Result<std::string> KeyPinOfCertificate(const void* der, std::size_t size) {
  if (der == nullptr || size == 0 || size > 1u << 20) return NotACertificate("empty or oversized certificate");
  gnutls_x509_crt_t raw_cert = nullptr;
  if (gnutls_x509_crt_init(&raw_cert) < 0) return NotACertificate("gnutls_x509_crt_init failed");
  CertPtr cert(raw_cert);
  gnutls_datum_t in{static_cast<unsigned char*>(const_cast<void*>(der)), static_cast<unsigned>(size)};
  if (int rc = gnutls_x509_crt_import(cert.get(), &in, GNUTLS_X509_FMT_DER); rc < 0) {
    return NotACertificate(std::string("gnutls_x509_crt_import: ") + gnutls_strerror(rc));
  }
  gnutls_pubkey_t raw_key = nullptr;
  if (gnutls_pubkey_init(&raw_key) < 0) return NotACertificate("gnutls_pubkey_init failed");
  PubkeyPtr key(raw_key);
  if (int rc = gnutls_pubkey_import_x509(key.get(), cert.get(), 0); rc < 0) {
    return NotACertificate(std::string("gnutls_pubkey_import_x509: ") + gnutls_strerror(rc));
  }
  gnutls_datum_t spki{nullptr, 0};  // the SubjectPublicKeyInfo, DER
  if (int rc = gnutls_pubkey_export2(key.get(), GNUTLS_X509_FMT_DER, &spki); rc < 0) {
    return NotACertificate(std::string("gnutls_pubkey_export2: ") + gnutls_strerror(rc));
  }
  unsigned char digest[32];
  const int rc = gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.size, digest);
  gnutls_free(spki.data);
  if (rc < 0) return NotACertificate(std::string("gnutls_hash_fast: ") + gnutls_strerror(rc));
  gchar* b64 = g_base64_encode(digest, sizeof digest);
  std::string pin = std::string("sha256/") + b64;
  g_free(b64);
  return pin;
}

Result<std::string> KeyPinOfPeer(http_t* http) {
  cups_array_t* creds = nullptr;
  if (!httpIsEncrypted(http) || httpCopyCredentials(http, &creds) != 0 || creds == nullptr) {
    return Error{ErrorCode::kRefused, "The printer presented no TLS certificate.", "httpCopyCredentials failed"};
  }
  auto* first = static_cast<http_credential_t*>(cupsArrayFirst(creds));
  Result<std::string> pin = first != nullptr ? KeyPinOfCertificate(first->data, first->datalen)
                                             : Result<std::string>(NotACertificate("no certificate in the chain"));
  httpFreeCredentials(creds);
  return pin;
}

}  // namespace cupswps::queues
