// CUPS-Add-Modify-Printer and friends through libcups; see queue_admin.h.
#include "backend/queue_admin.h"

#include <cups/cups.h>
#include <strings.h>

#include "common/handle.h"

namespace cupswps::backend {
namespace {

using IppPtr = CPtr<ipp_t, ippDelete>;

std::string PrinterUri(const std::string& queue) {
  char uri[1024];
  httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0, "/printers/%s",
                   queue.c_str());
  return uri;
}

IppPtr NewRequest(ipp_op_t op, const std::string& queue) {
  IppPtr request(ippNewRequest(op));
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, PrinterUri(queue).c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
  return request;
}

// The one place where an IPP status from cupsd becomes an Error.
Error CupsError(const std::string& what) {
  const ipp_status_t status = cupsLastError();
  const bool unreachable = status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL;
  std::string message;
  if (unreachable) {
    message = "Cannot reach the CUPS scheduler at " + discovery::SchedulerName() + " to " + what + ": is cupsd running?";
  } else if (status == IPP_STATUS_ERROR_FORBIDDEN || status == IPP_STATUS_ERROR_NOT_AUTHORIZED ||
             status == IPP_STATUS_ERROR_NOT_AUTHENTICATED) {
    message = "The CUPS scheduler refused to " + what + ": run as root or as a member of the lpadmin group.";
  } else {
    message = "The CUPS scheduler could not " + what + ": " + cupsLastErrorString();
  }
  return Error{unreachable ? ErrorCode::kCupsUnavailable : ErrorCode::kCupsRefused, message,
               std::string(ippErrorString(status)) + ": " + cupsLastErrorString()};
}

// Sends `request` (consumed) to cupsd; an Error unless the status is successful.
Result<IppPtr> Send(IppPtr request, const std::string& resource, const std::string& what) {
  IppPtr response(cupsDoRequest(CUPS_HTTP_DEFAULT, request.release(), resource.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_CONFLICTING) return CupsError(what);
  return response;
}

}  // namespace

Result<std::vector<discovery::Queue>> LibcupsQueueAdmin::List() { return discovery::FetchQueues(); }

Result<bool> LibcupsQueueAdmin::Create(const QueueSpec& spec) {
  // CUPS-Add-Modify-Printer on an existing name would modify someone's queue.
  auto queues = List();
  if (!queues) return queues.error();
  for (const discovery::Queue& q : *queues) {
    if (strcasecmp(q.name.c_str(), spec.name.c_str()) == 0) {
      return Error{ErrorCode::kQueueExists, "A queue named " + spec.name + " exists already.", ""};
    }
  }
  IppPtr request = NewRequest(IPP_OP_CUPS_ADD_MODIFY_PRINTER, spec.name);
  ipp_t* r = request.get();
  ippAddString(r, IPP_TAG_PRINTER, IPP_TAG_URI, "device-uri", nullptr, spec.device_uri.c_str());
  ippAddString(r, IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-info", nullptr, spec.info.c_str());
  ippAddString(r, IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-location", nullptr, spec.location.c_str());
  ippAddBoolean(r, IPP_TAG_PRINTER, "printer-is-accepting-jobs", 1);
  ippAddBoolean(r, IPP_TAG_PRINTER, "printer-is-shared", 0);
  ippAddInteger(r, IPP_TAG_PRINTER, IPP_TAG_ENUM, "printer-state", IPP_PSTATE_IDLE);
  // The PPD travels as the request's document (as lpadmin -P sends one).
  IppPtr response(cupsDoFileRequest(CUPS_HTTP_DEFAULT, request.release(), "/admin/", spec.ppd_path.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_CONFLICTING) return CupsError("create the queue " + spec.name);
  return true;
}

Result<bool> LibcupsQueueAdmin::Delete(const std::string& name) {
  auto sent = Send(NewRequest(IPP_OP_CUPS_DELETE_PRINTER, name), "/admin/", "delete the queue " + name);
  if (!sent) return sent.error();
  return true;
}

}  // namespace cupswps::backend
