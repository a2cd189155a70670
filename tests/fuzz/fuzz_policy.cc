// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the policy file, and evaluating what it parses to.
#include <cstddef>
#include <cstdint>
#include <string>

#include "filters/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cupswps;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto policy = filters::ParsePolicy(text);
  if (!policy) return 0;
  discovery::Printer p;
  p.key = "uuid:fba4df06-019d-30c1-59e7-8b56d39cdb42";
  p.uuid = "fba4df06-019d-30c1-59e7-8b56d39cdb42";
  p.name = "Front Desk";
  p.info.make_and_model = "Acme LaserFax 9";
  p.addresses = {"192.168.1.20", "fe80::1%eth0"};
  p.services = {discovery::ServiceType::kIpps, discovery::ServiceType::kIpp};
  p.txt = {{"ty", "Acme LaserFax 9"}, {"printer-type", "0x801046"}};
  const filters::LocalNetworks local{{{"192.168.1.10", 24}}};
  for (const filters::Mode m : {filters::Mode::kAdd, filters::Mode::kWatch}) {
    const filters::Decision d = filters::Evaluate(*policy, m, p, local);
    if (d.reason.empty()) __builtin_trap();  // every verdict says why
  }
  return 0;
}
