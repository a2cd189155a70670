// SPDX-License-Identifier: Apache-2.0
// A CUPS queue as cups-wps sees it, and which printer already has one.
// Pure; the queues come from QueueAdmin::List (queue_admin.h).
#pragma once

#include <string>
#include <vector>

#include "discovery/printer.h"

namespace cupswps::queues {

struct Queue {
  std::string name;        // printer-name
  std::string uuid;        // printer-uuid (cupsd's own id for the queue)
  std::string device_uri;  // device-uri
  std::string info;        // printer-info
};

// Name of the queue that already serves `printer`, or "". UUID first (the
// wps://uuid/ form, a "uuid=" URI parameter, printer-uuid). A queue whose
// URI names a UUID matches by that alone. Then, for the other queues, a
// dnssd:// or wps://name/ URI against the instance name, and an address URI
// whose host (address or host name), port and resource path are the
// printer's.
std::string FindQueue(const discovery::Printer& printer, const std::vector<Queue>& queues);

}  // namespace cupswps::queues
