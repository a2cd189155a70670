// Steps 3 and 4 of registration (registration.h): read a printer's IPP
// attributes from the printer itself, refuse unsafe ones (filters/) and
// printers that cannot be driven driverless, and build the PPD from exactly
// the attributes that were checked. Blocking network I/O.
#pragma once

#include <string>

#include "common/result.h"
#include "discovery/printer.h"

namespace cupswps::queues {

// Returns the path of a temporary PPD file (the caller removes it).
Result<std::string> MakeDriverlessPpd(const discovery::Printer& printer, const discovery::Endpoint& endpoint);

}  // namespace cupswps::queues
