// SPDX-License-Identifier: Apache-2.0
// Finding the printer a user named on the command line among discovered
// printers. Pure.
#pragma once

#include <string>
#include <vector>

#include "backend/scan.h"
#include "common/result.h"

namespace cupswps::backend {

// `what` is a UUID, a key ("uuid:..."/"name:..."), a wps:// URI, a printer
// name (case-insensitive), an endpoint URI or an address, as `list` shows.
Result<FoundPrinter> SelectPrinter(const std::vector<FoundPrinter>& printers, const std::string& what);

}  // namespace cupswps::backend
