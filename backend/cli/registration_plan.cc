// SPDX-License-Identifier: Apache-2.0
// The checks `add` and `setup` share; see registration_plan.h.
#include "backend/cli/registration_plan.h"

#include "common/text.h"

namespace cupswps::backend {

Result<RegistrationPlan> PlanRegistration(const std::string& queue_name, const std::string& location,
                                          const std::string& policy_file) {
  if (!queue_name.empty() && queues::QueueNameFor(queue_name) != queue_name) {
    return Error{ErrorCode::kInvalidArgument,
                 "'" + text::Clean(queue_name, 127) + "' is not a usable queue name; try '" +
                     queues::QueueNameFor(queue_name) + "'",
                 ""};
  }
  if (text::HasControl(location) || !text::IsValidUtf8(location)) {
    return Error{ErrorCode::kInvalidArgument, "--location takes printable UTF-8 text", ""};
  }
  auto policy = filters::LoadPolicyFile(policy_file);
  if (!policy) return policy.error();
  RegistrationPlan plan{std::move(*policy), policy_file, {}};
  plan.options.queue_name = queue_name;
  plan.options.location = location;
  plan.options.pins = queues::PinStore::Default();
  return plan;
}

Status Admit(const RegistrationPlan& plan, const discovery::Printer& printer) {
  return queues::CheckAddPolicy(plan.policy, plan.policy_file, printer);
}

}  // namespace cupswps::backend
