// Which printers already have a CUPS queue. Matching is pure; fetching asks
// cupsd with CUPS-Get-Printers through libcups (blocking, a few ms on the
// local socket; call it from the main thread only).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "discovery/printer.h"

namespace cupswps::discovery {

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
std::string FindQueue(const Printer& printer, const std::vector<Queue>& queues);

// Every queue of the scheduler that libcups' defaults point at (CUPS_SERVER,
// client.conf). No queues is an empty vector; an unreachable scheduler is an
// Error with code kCupsUnavailable.
Result<std::vector<Queue>> FetchQueues();

// The scheduler libcups talks to, for messages: "127.0.0.1:8631", a socket path.
std::string SchedulerName();

}  // namespace cupswps::discovery
