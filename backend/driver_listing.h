// SPDX-License-Identifier: Apache-2.0
// What the cups-wps CUPS driver program says to cups-driverd: the PPD name
// of a printer, parsing such a name back, and the one `list` line per
// printer. Pure; no I/O. Names come back from any local user (`cat NAME`) and
// listing fields come from the network: both are treated as untrusted.
//
//   "cups-wps:uuid/<uuid>" en "<Make>" "cups-wps <Make Model> [<label>], driverless <version>"
//       "<device ID>" "(<Model>)"          (all on one line)
//
// <label> is the printer's name and UUID prefix (PrinterLabel), also at the
// end of the device ID's MDL: the dialogs match only this printer's row to
// this PPD (see report.h).
//
// cups-driverd (CUPS 2.4, load_drivers) reads each line with sscanf into
// fixed buffers and stops reading a driver at the first line it cannot parse,
// so every field here is free of '"' and control characters (a CR ends a line
// for cupsFileGets as well as a LF), non-empty, and within its buffer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "discovery/printer.h"
#include "discovery/wps_uri.h"

namespace cupswps::backend {

// cups-driverd's field limits (bytes, without the terminating NUL).
inline constexpr std::size_t kMaxPpdNameBytes = 255;
inline constexpr std::size_t kMaxMakeBytes = 127;
inline constexpr std::size_t kMaxMakeAndModelBytes = 127;
inline constexpr std::size_t kMaxDeviceIdBytes = 255;
inline constexpr std::size_t kMaxProductBytes = 127;

inline constexpr std::string_view kDriverScheme = "cups-wps:";

// "cups-wps:uuid/<uuid>", or "cups-wps:name/<percent-encoded name>" for a
// printer without a UUID; "" when that name would be too long to list.
std::string DriverPpdName(const discovery::Printer& printer);

// The printer a PPD name asks for (exactly one of uuid and name set), or
// nullopt for anything DriverPpdName cannot have produced: other schemes,
// non-canonical UUIDs or escapes, trailing text, over-long names.
std::optional<discovery::WpsUri> ParseDriverPpdName(std::string_view ppd_name);

// The device ID cut to `max_bytes`: whole "KEY:value;" fields are dropped
// from the end (SN, then CMD) while more than MFG and MDL remain; past that
// the string itself is cut on a character boundary. IDs that fit are
// returned unchanged, so the driver's ID is the backend's.
std::string FitDeviceId(std::string_view device_id, std::size_t max_bytes);

// The `list` line for `printer`, ending in '\n'; "" when it cannot be listed
// (no usable PPD name). `version` is this program's version.
std::string DriverListLine(const discovery::Printer& printer, std::string_view version);

}  // namespace cupswps::backend
