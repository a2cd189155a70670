// SPDX-License-Identifier: Apache-2.0
// Parsing of DNS-SD TXT records from printers (untrusted network input).
// Pure: bytes in, cleaned key/value pairs and a list of what was dropped out.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cupswps::discovery {

// Limits on what we keep from one TXT record.
inline constexpr std::size_t kMaxTxtEntries = 64;
inline constexpr std::size_t kMaxTxtKeyBytes = 32;
inline constexpr std::size_t kMaxTxtValueBytes = 255;

struct Txt {
  // Keys are ASCII lower case (RFC 6763 keys are case-insensitive); values are
  // valid UTF-8 without control characters. The first occurrence of a key wins.
  std::map<std::string, std::string> values;
  // One short sentence per dropped or cleaned entry, for the debug log.
  std::vector<std::string> problems;

  // Value of `key` (lower case), or "" when absent.
  const std::string& Get(std::string_view key) const;
  bool Has(std::string_view key) const;
};

// `entries` are the raw TXT strings ("key=value", "key", or garbage).
Txt ParseTxt(const std::vector<std::string>& entries);

// Fields that printers put in TXT, validated. Empty when absent or invalid.
struct PrinterTxt {
  std::string uuid;            // lower-case 8-4-4-4-12, "urn:uuid:" stripped
  std::string make_and_model;  // ty, else usb_MFG + usb_MDL, else product
  std::string manufacturer;    // usb_MFG, else first word of ty
  std::string model;           // usb_MDL, else the rest of ty
  std::string resource;        // rp, without leading '/', URI-path-safe
  std::string location;        // note
  std::string admin_url;       // adminurl (http/https only)
  std::vector<std::string> pdl;  // MIME types
  bool color = false;
  bool duplex = false;
  bool tls = false;            // TLS=1.x present
  int priority = 50;           // 0..99
  std::vector<std::string> problems;
};

PrinterTxt InterpretPrinterTxt(const Txt& txt);

}  // namespace cupswps::discovery
