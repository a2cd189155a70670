// SPDX-License-Identifier: Apache-2.0
// The names a queue's driverless PPD gives its printer, which the dialogs
// show as the queue's model (GNOME Settings' "Model", lpstat's and
// lpoptions' printer-make-and-model). libcups writes "<make and model> -
// IPP Everywhere", or "Printer" for a make-and-model its own check refuses
// (CUPS 2.4.2-3+deb12u10): so two queues look alike, and not like cups-wps's.
// cups-wps names them after the printer's make and model as the attribute
// validator (filters/) passed them: "Acme Twin 9000, driverless, cups-wps".
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace cupswps::queues {

// `s` as a PPD quoted value: printable ASCII without '"' (the end of the
// value) and '<' '>' (hex strings), runs of spaces as one, trimmed, at most
// `max` bytes. What is left out is left out: nothing is guessed.
std::string PpdQuotable(std::string_view s, std::size_t max);

// Rewrites *ModelName, *NickName and *ShortNickName (at most 31 bytes, as the
// PPD specification says) of the PPD at `path` for `make_and_model`, and
// writes which printer the PPD was made from, `printer_uuid` (the UUID of its
// wps:// URI; none when ""), as *cupswpsPrinterUUID after the first line. A
// make-and-model with nothing quotable leaves those names as libcups wrote
// them.
Status NamePpd(const std::string& path, std::string_view make_and_model, std::string_view printer_uuid);

// The printer a PPD's text says it was made from (its *cupswpsPrinterUUID,
// normalized), or "" when it says none: a PPD that cups-wps did not make, or
// that an older version made. The text is the scheduler's copy; only a UUID
// is taken from it.
std::string PpdPrinterUuid(std::string_view ppd_text);

}  // namespace cupswps::queues
