// SPDX-License-Identifier: Apache-2.0
// The driverless (IPP Everywhere) PPD from a printer's attributes, built by
// libcups' own generator: _ppdCreateFromIPP, the function cupsd itself runs
// for ppd-name=everywhere. It is private to libcups (cups/ppd-private.h is
// not installed by libcups2-dev) but exported by libcups.so.2; this file is
// the only one that names it, and CMake checks at configure time that the
// library has it.
#pragma once

#include <cups/cups.h>

#include <string>

#include "common/result.h"

namespace cupswps::queues {

// Writes the PPD for `attributes` (a Get-Printer-Attributes response that
// was validated already) to a new temporary file and returns its path; the
// caller removes it. `printer_name` is for the error message.
Result<std::string> GenerateDriverlessPpd(ipp_t* attributes, const std::string& printer_name);

}  // namespace cupswps::queues
