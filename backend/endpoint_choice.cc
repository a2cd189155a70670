// SPDX-License-Identifier: Apache-2.0
// Choosing the endpoint a job goes to; see endpoint_choice.h.
#include "backend/endpoint_choice.h"

namespace cupswps::backend {

EndpointChoice ChooseEndpoint(const std::optional<queues::Pin>& pin, const discovery::Printer& printer,
                              const std::function<Result<std::string>(const discovery::Endpoint&)>& key_of) {
  EndpointChoice c;
  if (!pin || !pin->identity.tls) {
    c.endpoint = printer.BestIpp();
    c.kind = c.endpoint != nullptr ? EndpointChoice::Kind::kUnverified : EndpointChoice::Kind::kNotFound;
    return c;
  }
  bool other_key = false;
  bool any_ipps = false;
  for (const discovery::Endpoint& e : printer.endpoints) {
    if (e.type != discovery::ServiceType::kIpps) continue;
    any_ipps = true;
    const Result<std::string> key = key_of(e);
    if (!key) {
      c.seen.push_back(e.Uri() + ": " + key.error().message + " " + key.error().detail);
      continue;
    }
    if (*key == pin->identity.key_pin) {
      c.seen.push_back(e.Uri() + ": the pinned key " + *key);
      c.kind = EndpointChoice::Kind::kVerified;
      c.endpoint = &e;
      return c;
    }
    c.seen.push_back(e.Uri() + ": another key, " + *key + ", not the pinned " + pin->identity.key_pin);
    other_key = true;
  }
  if (!any_ipps && printer.BestIpp() != nullptr) {
    c.seen.push_back(printer.BestIpp()->Uri() + ": only plain IPP, but the printer was pinned with IPPS");
  }
  c.kind = other_key || (!any_ipps && printer.BestIpp() != nullptr) ? EndpointChoice::Kind::kMismatch
                                                                    : EndpointChoice::Kind::kNotFound;
  return c;
}

}  // namespace cupswps::backend
