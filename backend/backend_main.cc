// The `wps` CUPS backend (see backend(7) and cups-wps-backend(7)).
//   no arguments   list printers without a queue, one cupsBackendReport line each
//   6 or 7 args    print a job (not yet: resolving wps:// URIs comes with the
//                  registration work; until then it fails clearly)
// It runs as user lp and needs no privileges.
#include <cups/backend.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "backend/report.h"
#include "backend/scan.h"
#include "common/log.h"

namespace {

// Listing must never be the slowest backend cups-deviced waits for: stop at
// a complete mDNS view, and never wait longer than this.
constexpr double kDefaultListSeconds = 3.0;

double ListSeconds() {
  const char* env = std::getenv("CUPS_WPS_BACKEND_TIMEOUT");
  if (env == nullptr) return kDefaultListSeconds;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  return (end != env && v > 0.0 && v <= 60.0) ? v : kDefaultListSeconds;
}

int ListDevices() {
  using namespace cupswps;
  auto scan = backend::Scan(backend::ScanOptions{.timeout_seconds = ListSeconds(), .need_queues = false});
  if (!scan) {
    log::Debug(scan.error().detail);
    log::Error(scan.error().message);
    return CUPS_BACKEND_FAILED;
  }
  if (!scan->complete) log::Debug("mDNS view incomplete at the time limit; reporting what was resolved");
  if (!scan->queues_known) log::Debug("could not ask cupsd for its queues; reporting every printer");
  for (const backend::FoundPrinter& f : scan->printers) {
    if (!f.queue.empty()) continue;
    const backend::DeviceReport r = backend::MakeDeviceReport(f.printer);
    cupsBackendReport(r.device_class.c_str(), r.uri.c_str(), r.make_and_model.c_str(), r.info.c_str(),
                      r.device_id.c_str(), r.location.c_str());
  }
  return CUPS_BACKEND_OK;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cupswps;
  log::Configure(log::Style::kBackend, false);
  if (argc == 1) return ListDevices();
  if (argc == 6 || argc == 7) {
    log::Error("The wps backend cannot print jobs yet: give this queue an ipp:// or ipps:// device URI.");
    return CUPS_BACKEND_FAILED;
  }
  std::fprintf(stderr, "Usage: %s job-id user title copies options [file]\n", argv[0]);
  return CUPS_BACKEND_FAILED;
}
