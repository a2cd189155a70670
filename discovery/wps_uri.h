// SPDX-License-Identifier: Apache-2.0
// The wps:// device URI: how a CUPS queue names a printer independently of
// its address. Pure; parsing treats its input as untrusted.
//
//   wps://uuid/<UUID>            the printer advertises a UUID (lower case)
//   wps://name/<instance name>   no UUID: the DNS-SD instance name, percent-encoded
//
// At job time the backend looks the printer up by that identity through mDNS.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "discovery/printer.h"

namespace cupswps::discovery {

struct WpsUri {
  std::string uuid;  // set for the uuid form
  std::string name;  // set for the name form (decoded)
};

std::string FormatWpsUri(const Printer& printer);
std::optional<WpsUri> ParseWpsUri(std::string_view uri);
// True when `uri` names `printer`: its UUID, or for the name form its name.
bool NamesPrinter(const WpsUri& uri, const Printer& printer);

std::string PercentEncode(std::string_view s);
// Decodes %XX; returns nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s);

}  // namespace cupswps::discovery
