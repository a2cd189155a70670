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
};

// Name of the queue that already serves `printer`, or "". UUID first (the
// wps://uuid/ form, a "uuid=" URI parameter, printer-uuid), then the device
// URI's host and port against the printer's addresses and host name, then a
// dnssd:// or wps://name/ URI against its instance name.
std::string FindQueue(const Printer& printer, const std::vector<Queue>& queues);

// Every queue of the scheduler that libcups' defaults point at (CUPS_SERVER,
// client.conf). No queues is an empty vector; an unreachable scheduler is an
// Error with code kCupsUnavailable.
Result<std::vector<Queue>> FetchQueues();

}  // namespace cupswps::discovery
