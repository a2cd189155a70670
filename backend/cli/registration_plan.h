// SPDX-License-Identifier: Apache-2.0
// What `add` and `setup` check before they touch anything (before a printer
// is looked for, before WPS is armed): the queue name, the location and the
// policy file. One check, so that the two commands cannot drift apart.
#pragma once

#include <string>

#include "common/result.h"
#include "discovery/printer.h"
#include "filters/policy.h"
#include "queues/registration.h"

namespace cupswps::backend {

struct RegistrationPlan {
  filters::Policy policy;
  std::string policy_file;
  queues::RegisterOptions options;  // queue_name, location, pins (the default store)
};

// An Error with code kInvalidArgument (a usage error: say it and exit 2) for
// a queue name CUPS would not take; the policy file's Error (unreadable,
// malformed: exit 1) otherwise.
Result<RegistrationPlan> PlanRegistration(const std::string& queue_name, const std::string& location,
                                          const std::string& policy_file);

// The policy admits `printer` for an explicit registration; else an Error
// (kRefused) naming the policy file and the rule.
Status Admit(const RegistrationPlan& plan, const discovery::Printer& printer);

}  // namespace cupswps::backend
