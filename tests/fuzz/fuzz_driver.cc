// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the cups-wps driver's untrusted inputs. The whole input
// is a PPD name as any local user may hand to `cat`; it is also an advert
// (first line: the instance name; the rest: TXT strings split by 0x00) whose
// listing line must stay one line that cups-driverd reads whole.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "backend/driver_listing.h"
#include "discovery/printer.h"
#include "discovery/wps_uri.h"

using namespace cupswps;

namespace {

void CheckName(const std::string& input) {
  const auto parsed = backend::ParseDriverPpdName(input);
  if (!parsed) return;
  if (parsed->uuid.empty() == parsed->name.empty()) __builtin_trap();  // exactly one form
  if (input.size() > backend::kMaxPpdNameBytes) __builtin_trap();
  if (input.find_first_of("\"\r\n ") != std::string::npos) __builtin_trap();  // only canonical names parse
}

void CheckLine(const discovery::Printer& p) {
  const std::string line = backend::DriverListLine(p, "0.1.0");
  const std::string name = backend::DriverPpdName(p);
  if (line.empty()) {
    if (!name.empty()) __builtin_trap();
    return;
  }
  const auto parsed = backend::ParseDriverPpdName(name);
  if (!parsed || !discovery::NamesPrinter(*parsed, p)) __builtin_trap();  // our names come back to us
  if (line.find('\n') != line.size() - 1 || line.find('\r') != std::string::npos) __builtin_trap();
  // cups-driverd's own reading (CUPS 2.4.2 load_drivers): all six fields.
  char f[8][256];
  const int n = std::sscanf(line.c_str(),
                            "\"%255[^\"]\"%127s%*[ \t]\"%127[^\"]\"%*[ \t]\"%127[^\"]\"%*[ \t]\"%255[^\"]\""
                            "%*[ \t]\"%127[^\"]\"%*[ \t]\"%127[^\"]\"%*[ \t]\"%127[^\"]\"",
                            f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
  if (n != 6 || name != f[0]) __builtin_trap();
  // Nothing after the product field: the line was read whole.
  const std::string tail = "\" \"" + std::string(f[5]) + "\"\n";
  if (line.size() < tail.size() || line.compare(line.size() - tail.size(), tail.size(), tail) != 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  CheckName(input);

  const std::size_t nl = input.find('\n');
  std::vector<std::string> entries;
  if (nl != std::string::npos) {
    const std::string rest = input.substr(nl + 1);
    std::size_t start = 0;
    for (std::size_t z; (z = rest.find('\0', start)) != std::string::npos; start = z + 1) {
      entries.push_back(rest.substr(start, z - start));
    }
    entries.push_back(rest.substr(start));
  }
  discovery::Advert a;
  a.id = discovery::AdvertId{2, false, input.substr(0, nl), discovery::ServiceType::kIpp, "local"};
  a.host_name = "host.local";
  a.address = "10.0.0.1";
  a.port = 631;
  a.txt = discovery::ParseTxt(entries);
  discovery::PrinterTable table;
  table.Upsert(std::move(a));
  for (const discovery::Printer& p : table.Printers()) CheckLine(p);
  return 0;
}
