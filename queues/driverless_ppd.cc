// SPDX-License-Identifier: Apache-2.0
// Reading, checking and turning a printer's attributes into a PPD; see
// driverless_ppd.h.
#include "queues/driverless_ppd.h"

#include <cups/cups.h>
#include <strings.h>

#include <cstdio>

#include "filters/attributes.h"
#include "queues/ipp_error.h"
#include "queues/key_pin.h"
#include "queues/ppd_generator.h"
#include "queues/ppd_names.h"

namespace cupswps::queues {
namespace {

constexpr int kPrinterTimeoutMs = 15000;

struct PrinterAnswer {
  IppPtr attributes;
  PrinterIdentity identity;
};

// Get-Printer-Attributes from the printer itself (not from cupsd), and the
// key of the TLS session that brought them.
Result<PrinterAnswer> FetchAttributes(const discovery::Endpoint& e) {
  const bool tls = e.type == discovery::ServiceType::kIpps;
  // httpConnect2 wants the host without brackets; a link-local zone stays.
  HttpPtr http(httpConnect2(e.address.c_str(), e.port, nullptr, AF_UNSPEC,
                            tls ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED, 1, kPrinterTimeoutMs,
                            nullptr));
  if (!http) return LastIppError(PrinterAt(e.Uri()), "read its attributes");
  static const char* const kWanted[] = {"all", "media-col-database"};
  IppPtr request(ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES));
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, e.Uri().c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, nullptr, kWanted);
  IppPtr response(cupsDoRequest(http.get(), request.release(), ("/" + e.resource).c_str()));
  if (IppFailed(response.get())) return LastIppError(PrinterAt(e.Uri()), "read its attributes");
  PrinterAnswer answer{std::move(response), {tls, ""}};
  if (tls) {
    auto pin = KeyPinOfPeer(http.get());
    if (!pin) return Error{pin.error().code, pin.error().message + " (" + e.Uri() + ")", pin.error().detail};
    answer.identity.key_pin = std::move(*pin);
  }
  return answer;
}

// cupsd builds a driverless PPD only for printers that take PDF, PWG Raster
// or Apple Raster; it fails silently otherwise (the queue stays raw), so
// refuse such printers up front.
bool DriverlessCapable(ipp_t* attrs) {
  ipp_attribute_t* formats = ippFindAttribute(attrs, "document-format-supported", IPP_TAG_MIMETYPE);
  for (int i = 0; formats != nullptr && i < ippGetCount(formats); ++i) {
    const char* f = ippGetString(formats, i, nullptr);
    if (f == nullptr) continue;
    if (strcasecmp(f, "application/pdf") == 0 || strcasecmp(f, "image/pwg-raster") == 0 ||
        strcasecmp(f, "image/urf") == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::string> MakeDriverlessPpd(const discovery::Printer& printer, const discovery::Endpoint& endpoint,
                                      PrinterIdentity* identity) {
  auto answer = FetchAttributes(endpoint);
  if (!answer) return answer.error();
  if (identity != nullptr) *identity = answer->identity;
  ipp_t* attrs = answer->attributes.get();
  if (auto refusal = filters::ValidatePrinterAttributes(attrs)) {
    return Error{ErrorCode::kRefused, filters::RefusalSentence(printer.name, *refusal), ""};
  }
  if (!DriverlessCapable(attrs)) {
    return Error{ErrorCode::kRefused,
                 "'" + printer.name + "' does not print PDF, PWG Raster or Apple Raster, so CUPS cannot make a "
                 "driverless queue for it; nothing was created.",
                 ""};
  }
  auto path = GenerateDriverlessPpd(attrs, printer.name);
  if (!path) return path;
  // The queue's model, as dialogs show it: the printer's own make and model
  // (validated above), not libcups' "Printer - IPP Everywhere"; and which
  // printer it was made from, so that a queue of another printer that got it
  // can be told (registration.h).
  ipp_attribute_t* make_and_model = ippFindAttribute(attrs, "printer-make-and-model", IPP_TAG_TEXT);
  const char* mm = make_and_model != nullptr ? ippGetString(make_and_model, 0, nullptr) : nullptr;
  if (auto named = NamePpd(path.value(), mm != nullptr ? mm : "", printer.uuid); !named.ok()) {
    std::remove(path.value().c_str());
    return named.error();
  }
  return path;
}

}  // namespace cupswps::queues
