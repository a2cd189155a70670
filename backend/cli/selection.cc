// SPDX-License-Identifier: Apache-2.0
// Printer selection; see selection.h.
#include "backend/cli/selection.h"

#include <strings.h>

#include "common/ids.h"
#include "discovery/txt.h"
#include "discovery/wps_uri.h"

namespace cupswps::backend {

Result<FoundPrinter> SelectPrinter(const std::vector<FoundPrinter>& printers, const std::string& what) {
  const std::string uuid = NormalizeUuid(what);
  const auto wps = discovery::ParseWpsUri(what);
  std::vector<const FoundPrinter*> hits;
  for (const FoundPrinter& f : printers) {
    const discovery::Printer& p = f.printer;
    bool hit = p.key == what || (!uuid.empty() && p.uuid == uuid) ||
               (wps && ((!wps->uuid.empty() && wps->uuid == p.uuid) || (!wps->name.empty() && wps->name == p.name))) ||
               strcasecmp(p.name.c_str(), what.c_str()) == 0;
    for (const discovery::Endpoint& e : p.endpoints) hit = hit || e.Uri() == what;
    for (const std::string& a : p.addresses) hit = hit || a == what;
    if (hit) hits.push_back(&f);
  }
  if (hits.size() == 1) return *hits.front();
  if (hits.empty()) {
    return Error{ErrorCode::kNotFound,
                 "No printer '" + what + "' on the network; 'cups-wps list --all' shows the ones there are.", ""};
  }
  std::string keys;
  for (const FoundPrinter* f : hits) keys += " " + f->printer.key;
  return Error{ErrorCode::kInvalidArgument, "'" + what + "' names " + std::to_string(hits.size()) +
                                                " printers; name one by its UUID:" + keys, ""};
}

}  // namespace cupswps::backend
