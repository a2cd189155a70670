// SPDX-License-Identifier: Apache-2.0
// The one place where the outcome of a libcups IPP request, to cupsd or to a
// printer, becomes an Error: which statuses mean "unreachable" (retry
// later), which mean "not allowed", and the one sentence a user sees. Also
// the owning handles of libcups requests and connections.
#pragma once

#include <cups/cups.h>

#include <string>

#include "common/handle.h"
#include "common/result.h"

namespace cupswps::queues {

using IppPtr = CPtr<ipp_t, ippDelete>;
using HttpPtr = CPtr<http_t, httpClose>;

// Who answered (or did not): the CUPS scheduler, or a printer at `name` (its URI).
struct IppPeer {
  bool scheduler = true;
  std::string name;
};
IppPeer Scheduler();
IppPeer PrinterAt(const std::string& uri);

// The scheduler libcups talks to, for messages: "localhost:631", a socket path.
std::string SchedulerName();

// The sentence for an administrative request that the scheduler at `server`
// (SchedulerName()) refused: over TCP, where CUPS recognizes neither root
// nor the lpadmin group, it names the local socket; on the socket, the group.
std::string SchedulerRefusal(const std::string& server, const std::string& what);

// True when the request that gave `response` failed (no response, or an
// error status in cupsLastError()).
bool IppFailed(const ipp_t* response);

// The Error for the last libcups request (cupsLastError() and its string),
// which tried to do `what` ("create the queue Office", "read its
// attributes"). Codes: kCupsUnavailable / kNotFound when the peer could not
// be reached, kCupsRefused / kRefused when it said no.
Error LastIppError(const IppPeer& peer, const std::string& what);

}  // namespace cupswps::queues
