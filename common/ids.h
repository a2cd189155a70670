// SPDX-License-Identifier: Apache-2.0
// Identifiers that arrive from the network (TXT records, daemon events,
// command lines) in their one canonical form. Pure; untrusted input.
#pragma once

#include <string>
#include <string_view>

namespace cupswps {

// Lower-case 8-4-4-4-12 for a UUID in that form (an "urn:uuid:" prefix is
// dropped), else "". The nil UUID identifies nothing and gives "".
std::string NormalizeUuid(std::string_view s);

// Lower-case "02:00:00:00:0a:01" for a MAC address in that form, else "".
std::string NormalizeMac(std::string_view s);

}  // namespace cupswps
