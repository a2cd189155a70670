// SPDX-License-Identifier: Apache-2.0
// A printer's identity as cups-wps pins it when it makes the printer's queue
// (add, setup, watch) and checks it at job time (the wps backend): whether
// the printer offered IPPS, and the public key its TLS certificate carries.
// And the text form of a pin file. Pure, no I/O; ParsePin treats its input
// as untrusted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "discovery/wps_uri.h"

namespace cupswps::queues {

// What a printer showed of itself when its attributes were read.
struct PrinterIdentity {
  bool tls = false;     // it offered IPPS, and its key was read over it
  std::string key_pin;  // when tls: "sha256/<base64>" (key_pin.h); else ""
  bool operator==(const PrinterIdentity&) const = default;
};

// The pin of one printer: what its queue's jobs are checked against.
struct Pin {
  std::string printer;        // the printer's key, as in its wps:// URI: "uuid:<uuid>" or "name:<name>"
  PrinterIdentity identity;
  std::string name;           // the printer's name when it was pinned (for people)
  std::string uri;            // where it was read: "ipps://10.0.0.5:631/ipp/print"
  std::int64_t pinned_at = 0;  // seconds since the epoch
};

// "uuid:<uuid>" or "name:<name>": the key of the printer a wps:// URI names
// (discovery::Printer::key of that printer).
std::string PrinterKeyOf(const discovery::WpsUri& uri);

// True for "sha256/" followed by the base64 of 32 bytes (44 characters).
bool IsKeyPin(std::string_view s);

// The one word `list` and `add` show for an identity: "tls" or "unverified".
std::string_view IdentityWord(const PrinterIdentity& identity);

// The pin file: "# comment" lines, then one "field value" line each of
// printer, tls (yes|no), key (when tls is yes), name, uri, pinned-at.
std::string FormatPin(const Pin& pin);
// An Error (kInvalidArgument, naming the line) for anything FormatPin would
// not write: an unknown or repeated field, a malformed value, a missing
// printer or key, more than 4 KiB.
Result<Pin> ParsePin(std::string_view text);

}  // namespace cupswps::queues
