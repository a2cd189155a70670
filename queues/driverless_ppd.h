// SPDX-License-Identifier: Apache-2.0
// Steps 3 and 4 of registration (registration.h): read a printer's IPP
// attributes from the printer itself, refuse unsafe ones (filters/) and
// printers that cannot be driven driverless, and build the PPD from exactly
// the attributes that were checked. The printer's identity (identity.h) is
// read in the same connection: over IPPS, the key its certificate carries.
// Blocking network I/O.
#pragma once

#include <string>

#include "common/result.h"
#include "discovery/printer.h"
#include "queues/identity.h"

namespace cupswps::queues {

// Returns the path of a temporary PPD file (the caller removes it); fills
// `identity` when it is given.
Result<std::string> MakeDriverlessPpd(const discovery::Printer& printer, const discovery::Endpoint& endpoint,
                                      PrinterIdentity* identity = nullptr);

}  // namespace cupswps::queues
