// SPDX-License-Identifier: Apache-2.0
// What `cups-wps trust QUEUE` would pin: the identity the printer answering
// for the queue's UUID shows now. ReadAnswers asks every IPP endpoint for
// its key through `key_of` (GnutlsSession, as the backend reads it; a table
// in tests); PlanTrust is pure.
//
// The endpoint is the one `add` would read (the printer's best IPPS one,
// else its best IPP one: unverified), or the first at --address. When
// endpoints of more than one host answer (several host names, or several
// IPv4 addresses), an impostor may be among them: without --address, trust
// refuses to choose.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "discovery/printer.h"
#include "queues/identity.h"

namespace cupswps::backend {

// What one IPP endpoint of the printer showed.
struct Answer {
  const discovery::Endpoint* endpoint = nullptr;  // one of the printer's
  queues::PrinterIdentity identity;               // tls with its key; or plain IPP
  std::string error;                              // an IPPS endpoint whose key could not be read
  // "ipps://10.0.0.5:631/ipp/print (host.local): sha256/…"
  std::string Line() const;
};

std::vector<Answer> ReadAnswers(const discovery::Printer& printer,
                                const std::function<Result<std::string>(const discovery::Endpoint&)>& key_of);

struct TrustPlan {
  queues::PrinterIdentity identity;               // what would be pinned
  const discovery::Endpoint* endpoint = nullptr;  // where it was read
};

// An Error (kRefused or kNotFound, one sentence) when there is nothing to
// pin, or more than one host answers and no `address` chooses.
Result<TrustPlan> PlanTrust(const std::vector<Answer>& answers, const std::string& address);

}  // namespace cupswps::backend
