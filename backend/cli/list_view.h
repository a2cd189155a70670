// SPDX-License-Identifier: Apache-2.0
// Rendering of `cups-wps list`: the table for people and the JSON for
// scripts. Pure; no I/O. The JSON fields are documented in README.md and
// cups-wps(1); keep them stable.
#pragma once

#include <string>
#include <vector>

#include "backend/scan.h"

namespace cupswps::backend {

// One JSON object for a printer (no trailing newline).
std::string PrinterJson(const FoundPrinter& found);
// A JSON array of printers, one per line inside the brackets.
std::string PrintersJson(const std::vector<FoundPrinter>& printers);
// A table with a header line; `width` bounds each text column (0: no bound).
std::string PrintersTable(const std::vector<FoundPrinter>& printers, std::size_t width);
// "ipps,ipp,printer"
std::string ProtocolList(const discovery::Printer& p);
// "tls" when it offers IPPS (its key can be pinned), else "unverified".
std::string IdentityOf(const discovery::Printer& p);

}  // namespace cupswps::backend
