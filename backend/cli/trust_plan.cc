// SPDX-License-Identifier: Apache-2.0
// What trust would pin; see trust_plan.h.
#include "backend/cli/trust_plan.h"

#include <set>

namespace cupswps::backend {
namespace {

std::string WithoutZone(const std::string& address) { return address.substr(0, address.find('%')); }

}  // namespace

std::string Answer::Line() const {
  const std::string what = !error.empty()            ? error
                           : identity.tls            ? identity.key_pin
                                                     : "plain IPP, unverified";
  return endpoint->Uri() + " (" + endpoint->host_name + "): " + what;
}

std::vector<Answer> ReadAnswers(const discovery::Printer& printer,
                                const std::function<Result<std::string>(const discovery::Endpoint&)>& key_of) {
  std::vector<Answer> out;
  for (const discovery::Endpoint& e : printer.endpoints) {
    if (!e.IsIpp()) continue;
    Answer a{&e, {}, ""};
    if (e.type == discovery::ServiceType::kIpps) {
      const Result<std::string> key = key_of(e);
      if (key) a.identity = {true, *key};
      else a.error = key.error().message;
    }
    out.push_back(std::move(a));
  }
  return out;
}

Result<TrustPlan> PlanTrust(const std::vector<Answer>& answers, const std::string& address) {
  std::set<std::string> hosts, ipv4;
  const Answer* ipps = nullptr;
  const Answer* ipp = nullptr;
  bool ipps_offered = false;
  for (const Answer& a : answers) {
    const discovery::Endpoint& e = *a.endpoint;
    hosts.insert(e.host_name);
    if (!e.ipv6) ipv4.insert(e.address);
    const bool is_ipps = e.type == discovery::ServiceType::kIpps;
    ipps_offered = ipps_offered || is_ipps;
    if (!address.empty() && WithoutZone(e.address) != WithoutZone(address)) continue;
    if (is_ipps && a.identity.tls && ipps == nullptr) ipps = &a;
    if (!is_ipps && ipp == nullptr) ipp = &a;
  }
  if (address.empty() && (hosts.size() > 1 || ipv4.size() > 1)) {
    return Error{ErrorCode::kRefused,
                 "More than one host answers for this printer, and one of them may be an impostor; name the one to "
                 "trust with --address.",
                 ""};
  }
  if (ipps != nullptr) return TrustPlan{ipps->identity, ipps->endpoint};
  // Plain IPP only when no IPPS is offered (or --address names it): a
  // printer that offers IPPS is not pinned unverified because its key
  // could not be read just now.
  if (ipp != nullptr && (!ipps_offered || !address.empty())) return TrustPlan{{false, ""}, ipp->endpoint};
  return Error{ErrorCode::kNotFound,
               ipps_offered ? "The printer offers IPPS, but its key could not be read; is it switched on?"
                            : "No printer answers for this queue" + (address.empty() ? "" : " at " + address) + ".",
               ""};
}

}  // namespace cupswps::backend
