// SPDX-License-Identifier: Apache-2.0
// CUPS-Get-Printers, CUPS-Add-Modify-Printer and CUPS-Delete-Printer through
// libcups; see libcups_queue_admin.h.
#include "queues/libcups_queue_admin.h"

#include <cups/cups.h>
#include <strings.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "discovery/wps_uri.h"
#include "queues/ipp_error.h"

namespace cupswps::queues {
namespace {

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

}  // namespace

Result<std::vector<Queue>> LibcupsQueueAdmin::List() {
  static const char* const kAttrs[] = {"printer-name", "printer-uuid", "device-uri", "printer-info"};
  IppPtr request(ippNewRequest(IPP_OP_CUPS_GET_PRINTERS));
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                static_cast<int>(std::size(kAttrs)), nullptr, kAttrs);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
  // cupsDoRequest consumes (frees) the request.
  IppPtr response(cupsDoRequest(CUPS_HTTP_DEFAULT, request.release(), "/"));
  std::vector<Queue> queues;
  if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) return queues;  // no queues at all
  if (IppFailed(response.get())) return LastIppError(Scheduler(), "read its queues");
  Queue current;
  auto flush = [&] {
    if (!current.name.empty()) queues.push_back(current);
    current = Queue{};
  };
  for (ipp_attribute_t* a = ippFirstAttribute(response.get()); a != nullptr; a = ippNextAttribute(response.get())) {
    const char* name = ippGetName(a);
    if (name == nullptr) {
      flush();
      continue;
    }
    const char* value = ippGetString(a, 0, nullptr);
    if (value == nullptr) continue;
    if (std::strcmp(name, "printer-name") == 0) current.name = value;
    else if (std::strcmp(name, "printer-uuid") == 0) current.uuid = value;
    else if (std::strcmp(name, "device-uri") == 0) current.device_uri = value;
    else if (std::strcmp(name, "printer-info") == 0) current.info = value;
  }
  flush();
  return queues;
}

Status LibcupsQueueAdmin::Create(const QueueSpec& spec) {
  // CUPS-Add-Modify-Printer on an existing name would modify someone's queue.
  auto queues = List();
  if (!queues) return queues.error();
  for (const Queue& q : *queues) {
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
  if (IppFailed(response.get())) return LastIppError(Scheduler(), "create the queue " + spec.name);
  return {};
}

Status LibcupsQueueAdmin::Delete(const std::string& name) {
  IppPtr response(cupsDoRequest(CUPS_HTTP_DEFAULT, NewRequest(IPP_OP_CUPS_DELETE_PRINTER, name).release(), "/admin/"));
  if (IppFailed(response.get())) return LastIppError(Scheduler(), "delete the queue " + name);
  return {};
}

Result<std::string> LibcupsQueueAdmin::Ppd(const std::string& name) {
  // GET /printers/NAME.ppd from the scheduler itself. Not cupsGetPPD3: for
  // a local scheduler it reads NAME.ppd from its own idea of the server root
  // (CUPS_SERVERROOT or /etc/cups), which need not be this scheduler's.
  auto close = [](FILE* f) { std::fclose(f); };
  std::unique_ptr<FILE, decltype(close)> copy(std::tmpfile(), close);
  const Error unreadable{ErrorCode::kInternal, "Cannot read the PPD of the queue " + name + ".", ""};
  if (!copy) return unreadable;
  const std::string resource = "/printers/" + discovery::PercentEncode(name) + ".ppd";
  const http_status_t got = cupsGetFd(CUPS_HTTP_DEFAULT, resource.c_str(), fileno(copy.get()));
  if (got == HTTP_STATUS_NOT_FOUND) return std::string();
  if (got != HTTP_STATUS_OK) return LastIppError(Scheduler(), "read the PPD of the queue " + name);
  std::string text;
  std::rewind(copy.get());
  char chunk[8192];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, copy.get())) > 0;) text.append(chunk, n);
  if (std::ferror(copy.get())) return unreadable;
  return text;
}

Status LibcupsQueueAdmin::ReplacePpd(const std::string& name, const std::string& ppd_path) {
  IppPtr response(cupsDoFileRequest(CUPS_HTTP_DEFAULT, NewRequest(IPP_OP_CUPS_ADD_MODIFY_PRINTER, name).release(),
                                    "/admin/", ppd_path.c_str()));
  if (IppFailed(response.get())) return LastIppError(Scheduler(), "replace the PPD of the queue " + name);
  return {};
}

Status LibcupsQueueAdmin::Resume(const std::string& name) {
  IppPtr modify = NewRequest(IPP_OP_CUPS_ADD_MODIFY_PRINTER, name);
  ippAddString(modify.get(), IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons", nullptr, "none");
  ippAddString(modify.get(), IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-state-message", nullptr, "");
  IppPtr modified(cupsDoRequest(CUPS_HTTP_DEFAULT, modify.release(), "/admin/"));
  if (IppFailed(modified.get())) return LastIppError(Scheduler(), "clear the state of the queue " + name);
  IppPtr resumed(cupsDoRequest(CUPS_HTTP_DEFAULT, NewRequest(IPP_OP_RESUME_PRINTER, name).release(), "/admin/"));
  if (IppFailed(resumed.get())) return LastIppError(Scheduler(), "enable the queue " + name);
  return {};
}

}  // namespace cupswps::queues
