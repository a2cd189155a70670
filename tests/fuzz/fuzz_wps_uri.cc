// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: wps:// URIs (from DEVICE_URI or a queue's device-uri)
// and queue matching on arbitrary device URIs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "discovery/wps_uri.h"
#include "queues/queue.h"

using namespace cupswps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string uri(reinterpret_cast<const char*>(data), size);
  if (const auto parsed = discovery::ParseWpsUri(uri)) {
    if (parsed->uuid.empty() == parsed->name.empty()) __builtin_trap();  // exactly one form
  }
  discovery::PercentDecode(uri);
  discovery::PercentEncode(uri);
  discovery::Printer p;
  p.uuid = "fba4df06-019d-30c1-59e7-8b56d39cdb42";
  p.name = "Office";
  p.endpoints.push_back(discovery::Endpoint{discovery::ServiceType::kIpp, "office.local", "10.0.0.5", false, 2, 631,
                                            "ipp/print"});
  queues::FindQueue(p, {{"q", uri, uri}});
  return 0;
}
