// SPDX-License-Identifier: Apache-2.0
// Validation of a printer's IPP attributes before anything of them reaches
// cupsd (which copies many into the driverless PPD it generates). Refuses the
// CVE-2024-47175 class: line breaks and control characters, double quotes
// that end a PPD value, "*Keyword:" shapes, invalid UTF-8, overlong values,
// keywords and MIME types outside their syntax. Pure: works on an ipp_t.
#pragma once

#include <cups/ipp.h>

#include <optional>
#include <string>

namespace cupswps::filters {

struct Refusal {
  std::string attribute;  // e.g. "printer-make-and-model" or "media-col-database/media-source"
  std::string problem;    // e.g. "carries a line break or control character"
};

// nullopt when every attribute of the printer group is safe.
std::optional<Refusal> ValidatePrinterAttributes(ipp_t* attributes);

// "Refusing to register 'NAME': its attribute ATTR PROBLEM; nothing was created."
std::string RefusalSentence(const std::string& printer_name, const Refusal& refusal);

// Checks one string value of the given IPP value tag; exposed for tests.
std::optional<std::string> StringProblem(ipp_tag_t tag, std::string_view value);

}  // namespace cupswps::filters
