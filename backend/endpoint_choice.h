// SPDX-License-Identifier: Apache-2.0
// Which of the endpoints that answer for a printer's UUID a job may go to,
// given the printer's pin (queues/identity.h). Pure: how an endpoint's key
// is read is the caller's (`key_of`: GnutlsSession in the backend, a table
// in tests).
//
//   no pin (a queue made before pinning)  the best IPP endpoint, unverified
//   pinned without IPPS                   the best IPP endpoint, unverified
//   pinned with IPPS                      the first IPPS endpoint, in the
//                                         printer's order, whose key matches;
//                                         never an ipp:// one (no downgrade)
// With IPPS pinned and none matching: a mismatch when an endpoint presented
// another key or only plain IPP is offered; not found when every IPPS
// endpoint was unreachable (CUPS tries again later).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "discovery/printer.h"
#include "queues/identity.h"

namespace cupswps::backend {

struct EndpointChoice {
  enum class Kind { kVerified, kUnverified, kMismatch, kNotFound };
  Kind kind = Kind::kNotFound;
  const discovery::Endpoint* endpoint = nullptr;  // kVerified, kUnverified: one of the printer's
  // One line each for the debug log: what every endpoint presented.
  std::vector<std::string> seen;
};

EndpointChoice ChooseEndpoint(const std::optional<queues::Pin>& pin, const discovery::Printer& printer,
                              const std::function<Result<std::string>(const discovery::Endpoint&)>& key_of);

}  // namespace cupswps::backend
