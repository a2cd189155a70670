// SPDX-License-Identifier: Apache-2.0
// The cups-wps CUPS driver program (see cups-wps-driver(7)), installed as
// <serverbin>/driver/cups-wps. cups-driverd runs it as user lp, with cupsd's
// environment:
//   list       one line per printer on the network that the policy admits
//              (for every CUPS-Get-PPDs: lpinfo -m, every printer dialog)
//   cat NAME   the driverless PPD of the printer NAME names, built exactly as
//              `cups-wps add` builds it; on any failure nothing on stdout,
//              one ERROR: line on stderr and a non-zero exit, so that cupsd
//              makes no queue
// It never asks cupsd anything: cupsd waits for `cat` in its main loop when a
// queue is added with ppd-name.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "backend/driver_listing.h"
#include "backend/scan.h"
#include "common/log.h"
#include "discovery/wps_uri.h"
#include "filters/policy.h"
#include "queues/driverless_ppd.h"
#include "queues/registration.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <cups/ppd.h>
#pragma GCC diagnostic pop

namespace {

using namespace cupswps;

// Listing runs for every CUPS-Get-PPDs, serially with the other drivers and
// uncached: stop at a complete mDNS view (as the wps backend does), never
// later than this.
constexpr double kListSeconds = 3.0;
// `cat`: how long the printer may take to show up in mDNS, and the deadline
// of the whole run (cupsd's main loop waits for it).
constexpr double kFindSeconds = 5.0;
constexpr unsigned kCatDeadlineSeconds = 10;

constexpr int kExitFailure = 1;

// CUPS_WPS_POLICY (set in cupsd's environment with SetEnv) names another
// policy file; the default is the one `cups-wps add` reads.
std::string PolicyFile() {
  const char* env = std::getenv("CUPS_WPS_POLICY");
  return env != nullptr && *env != '\0' ? env : filters::kDefaultPolicyPath;
}

bool WriteAll(int fd, const std::string& data) {
  for (std::size_t done = 0; done < data.size();) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

int List() {
  auto policy = filters::LoadPolicyFile(PolicyFile());
  if (!policy) {
    log::Error(policy.error().message);
    return kExitFailure;
  }
  auto scan = backend::Scan(
      backend::ScanOptions{.timeout_seconds = kListSeconds, .fetch_queues = false, .need_queues = false});
  if (!scan) {
    log::Debug(scan.error().detail);
    log::Error(scan.error().message);
    return kExitFailure;
  }
  if (!scan->complete) log::Debug("mDNS view incomplete at the time limit; listing what was resolved");
  const filters::LocalNetworks local = filters::LocalNetworks::FromHost();
  std::string out;
  for (const backend::FoundPrinter& f : scan->printers) {
    if (f.printer.BestIpp() == nullptr) continue;
    const filters::Decision d = filters::Evaluate(*policy, filters::Mode::kAdd, f.printer, local);
    if (!d.admitted) {
      log::Debug("not listing '" + f.printer.name + "': " + d.reason);
      continue;
    }
    const std::string line = backend::DriverListLine(f.printer, CUPS_WPS_VERSION);
    if (line.empty()) log::Debug("not listing '" + f.printer.name + "': its name is too long for a PPD name");
    out += line;
  }
  return WriteAll(STDOUT_FILENO, out) ? 0 : kExitFailure;
}

// The deadline of `cat`: whatever is still running (a printer that accepts
// the connection and then says nothing), stop without a byte on stdout.
void OnDeadline(int) {
  static constexpr char kMessage[] =
      "ERROR: The printer did not answer within 10 seconds; no queue was made. Is it switched on and connected?\n";
  const ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
  _exit(kExitFailure);
}

// cupsd opens what `cat` wrote with its own PPD parser; check with the same
// parser here, so that a PPD it would refuse is never written.
Status CheckPpd(const std::string& path, const std::string& printer_name) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  ppd_file_t* ppd = ppdOpenFile(path.c_str());
  if (ppd != nullptr) {
    ppdClose(ppd);
    return {};
  }
  int line = 0;
  const ppd_status_t status = ppdLastError(&line);
  return Error{ErrorCode::kInternal,
               "The driverless PPD built for '" + printer_name + "' does not open; no queue was made.",
               std::string(ppdErrorString(status)) + " on line " + std::to_string(line)};
#pragma GCC diagnostic pop
}

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return Error{ErrorCode::kInternal, "Cannot read the PPD built; no queue was made.", path};
  }
  return data;
}

Result<std::string> BuildPpd(const discovery::WpsUri& want) {
  const std::string policy_file = PolicyFile();
  auto policy = filters::LoadPolicyFile(policy_file);
  if (!policy) return policy.error();
  const std::string who = want.uuid.empty() ? "'" + want.name + "'" : "the printer with UUID " + want.uuid;
  auto matches = [&](const discovery::Printer& p) {
    return discovery::NamesPrinter(want, p) && p.BestIpp() != nullptr;
  };
  auto scan = backend::Scan(backend::ScanOptions{
      .timeout_seconds = kFindSeconds, .fetch_queues = false, .need_queues = false, .stop_at = matches});
  if (!scan) return scan.error();
  const discovery::Printer* printer = nullptr;
  for (const backend::FoundPrinter& f : scan->printers) {
    if (matches(f.printer)) printer = &f.printer;
  }
  if (printer == nullptr) {
    return Error{ErrorCode::kNotFound,
                 "Cannot find " + who + " on the network; no queue was made. Is it switched on and connected?", ""};
  }
  // The same steps as `cups-wps add`: the add policy, then the attributes
  // read from the printer, validated, and the PPD built from exactly those.
  if (auto admitted = queues::CheckAddPolicy(*policy, policy_file, *printer); !admitted) return admitted.error();
  auto path = queues::MakeDriverlessPpd(*printer, *printer->BestIpp());
  if (!path) return path.error();
  struct Unlink {
    std::string path;
    ~Unlink() { std::remove(path.c_str()); }
  } remove_ppd{*path};
  if (auto ok = CheckPpd(*path, printer->name); !ok) return ok.error();
  return ReadWhole(*path);
}

int Cat(const char* ppd_name) {
  // Any local user may ask cupsd for any name: parse it before anything else.
  const auto want = backend::ParseDriverPpdName(ppd_name);
  if (!want) {
    log::Error("Not a cups-wps PPD name (cups-wps:uuid/UUID or cups-wps:name/NAME); no queue was made.");
    return kExitFailure;
  }
  signal(SIGALRM, OnDeadline);
  alarm(kCatDeadlineSeconds);
  auto ppd = BuildPpd(*want);
  alarm(0);
  if (!ppd) {
    if (!ppd.error().detail.empty()) log::Debug(ppd.error().detail);
    log::Error(ppd.error().message);
    return kExitFailure;
  }
  return WriteAll(STDOUT_FILENO, *ppd) ? 0 : kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  log::Configure(log::Style::kBackend, false);
  signal(SIGPIPE, SIG_IGN);
  if (argc == 2 && std::strcmp(argv[1], "list") == 0) return List();
  if (argc == 3 && std::strcmp(argv[1], "cat") == 0) return Cat(argv[2]);
  std::fputs("Usage: cups-wps list\n       cups-wps cat PPD-NAME\n", stderr);
  return kExitFailure;
}
