// SPDX-License-Identifier: Apache-2.0
// IPP outcomes as Errors; see ipp_error.h.
#include "queues/ipp_error.h"

namespace cupswps::queues {

IppPeer Scheduler() { return IppPeer{true, SchedulerName()}; }
IppPeer PrinterAt(const std::string& uri) { return IppPeer{false, uri}; }

std::string SchedulerName() {
  const std::string server = cupsServer();
  if (!server.empty() && server.front() == '/') return server;
  return server + ":" + std::to_string(ippPort());
}

std::string SchedulerRefusal(const std::string& server, const std::string& what) {
  if (!server.empty() && server.front() != '/') {
    // CUPS 2.4.2-3+deb12u10 and later: root and lpadmin are recognized by
    // the peer credentials of the local socket only, never over TCP.
    return "The CUPS scheduler at " + server + " refused to " + what +
           ": CUPS accepts local administration only through its socket, not over TCP; unset CUPS_SERVER, "
           "or set it to /run/cups/cups.sock.";
  }
  return "The CUPS scheduler refused to " + what + ": run as root or as a member of the lpadmin group.";
}

bool IppFailed(const ipp_t* response) { return response == nullptr || cupsLastError() > IPP_STATUS_OK_CONFLICTING; }

Error LastIppError(const IppPeer& peer, const std::string& what) {
  const ipp_status_t status = cupsLastError();
  const std::string detail = std::string(ippErrorString(status)) + ": " + cupsLastErrorString();
  // libcups reports a failed connection (refused, timed out, reset) as
  // service-unavailable, an HTTP-level failure as internal-error; a request
  // that got no response without an error status never reached its peer.
  const bool unreachable = status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL ||
                           status <= IPP_STATUS_OK_CONFLICTING;
  // A 401 that libcups could not answer (no peer credentials, no usable
  // local certificate) ends as authentication-canceled.
  const bool forbidden = status == IPP_STATUS_ERROR_FORBIDDEN || status == IPP_STATUS_ERROR_NOT_AUTHORIZED ||
                         status == IPP_STATUS_ERROR_NOT_AUTHENTICATED ||
                         status == IPP_STATUS_ERROR_CUPS_AUTHENTICATION_CANCELED;
  if (peer.scheduler) {
    if (unreachable) {
      return Error{ErrorCode::kCupsUnavailable,
                   "Cannot reach the CUPS scheduler at " + peer.name + " to " + what + ": is cupsd running?", detail};
    }
    if (forbidden) return Error{ErrorCode::kCupsRefused, SchedulerRefusal(peer.name, what), detail};
    return Error{ErrorCode::kCupsRefused,
                 "The CUPS scheduler at " + peer.name + " could not " + what + ": " + cupsLastErrorString(), detail};
  }
  if (unreachable) {
    return Error{ErrorCode::kNotFound, "Cannot reach the printer at " + peer.name + " to " + what + ".", detail};
  }
  return Error{ErrorCode::kNotFound,
               "The printer at " + peer.name + " did not let cups-wps " + what + ": " + cupsLastErrorString(), detail};
}

}  // namespace cupswps::queues
