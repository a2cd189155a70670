// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: TXT records and adverts from the network. The input is
// split into TXT strings (by 0x00) with the first line as the instance name;
// the adverts are merged and matched against a queue, as discovery does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "backend/cli/list_view.h"
#include "backend/report.h"
#include "discovery/printer.h"
#include "discovery/wps_uri.h"
#include "queues/queue.h"

using namespace cupswps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = input.find('\n');
  const std::string name = input.substr(0, nl);
  std::vector<std::string> entries;
  if (nl != std::string::npos) {
    std::string rest = input.substr(nl + 1);
    std::size_t start = 0;
    for (std::size_t z; (z = rest.find('\0', start)) != std::string::npos; start = z + 1) {
      entries.push_back(rest.substr(start, z - start));
    }
    entries.push_back(rest.substr(start));
  }
  discovery::PrinterTable table;
  int i = 0;
  for (const discovery::ServiceType t : discovery::kAllServiceTypes) {
    discovery::Advert a;
    a.id = discovery::AdvertId{++i, (i & 1) != 0, name, t, "local"};
    a.host_name = name;
    a.address = (i & 1) != 0 ? "fe80::1%eth0" : "10.0.0.1";
    a.address_ipv6 = (i & 1) != 0;
    a.port = static_cast<uint16_t>(size * static_cast<std::size_t>(i));
    a.txt = discovery::ParseTxt(entries);
    table.Upsert(std::move(a));
  }
  std::vector<backend::FoundPrinter> found;
  for (const discovery::Printer& p : table.Printers()) {
    const std::string uri = discovery::FormatWpsUri(p);
    const auto parsed = discovery::ParseWpsUri(uri);
    if (!parsed) __builtin_trap();  // our own URIs must parse
    backend::MakeDeviceReport(p);
    queues::FindQueue(p, {{"q", "", uri}, {"r", "", "dnssd://" + name + "._ipp._tcp.local/"}});
    found.push_back({p, ""});
  }
  backend::PrintersJson(found);
  backend::PrintersTable(found, 40);
  return 0;
}
