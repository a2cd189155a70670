// SPDX-License-Identifier: Apache-2.0
// libcups' IPP Everywhere PPD generator; see ppd_generator.h.
#include "queues/ppd_generator.h"

// Declared in cups/ppd-private.h, which libcups2-dev does not install.
extern "C" char* _ppdCreateFromIPP(char* buffer, size_t bufsize, ipp_t* response);

namespace cupswps::queues {

Result<std::string> GenerateDriverlessPpd(ipp_t* attributes, const std::string& printer_name) {
  char path[1024] = {};
  if (_ppdCreateFromIPP(path, sizeof path, attributes) == nullptr) {
    return Error{ErrorCode::kRefused,
                 "Cannot build a driverless PPD for '" + printer_name + "': " + cupsLastErrorString() +
                     "; nothing was created.",
                 ""};
  }
  return std::string(path);
}

}  // namespace cupswps::queues
