// SPDX-License-Identifier: Apache-2.0
// Table and JSON for `cups-wps list`; see list_view.h.
#include "backend/cli/list_view.h"

#include <algorithm>

#include "common/json.h"
#include "common/text.h"
#include "discovery/wps_uri.h"
#include "queues/identity.h"

namespace cupswps::backend {

std::string ProtocolList(const discovery::Printer& p) {
  std::string out;
  for (const discovery::ServiceType t : p.services) {
    if (!out.empty()) out += ",";
    out += discovery::ShortName(t);
  }
  return out;
}

std::string IdentityOf(const discovery::Printer& p) {
  return std::string(queues::IdentityWord(queues::PrinterIdentity{p.OffersIpps(), ""}));
}

std::string PrinterJson(const FoundPrinter& found) {
  const discovery::Printer& p = found.printer;
  json::Writer w;
  std::vector<std::string> services;
  for (const discovery::ServiceType t : p.services) services.emplace_back(discovery::ShortName(t));
  const discovery::Endpoint* best = p.Best();
  w.BeginObject()
      .Key("key").String(p.key)
      .Key("name").String(p.name)
      .Key("uuid").StringOrNull(p.uuid)
      .Key("make_and_model").StringOrNull(p.info.make_and_model)
      .Key("location").StringOrNull(p.info.location)
      .Key("host").StringOrNull(p.host_name)
      .Key("addresses").StringArray(p.addresses)
      .Key("services").StringArray(services)
      .Key("identity").String(IdentityOf(p))
      .Key("uri").StringOrNull(best != nullptr ? best->Uri() : "")
      .Key("device_uri").String(discovery::FormatWpsUri(p))
      .Key("admin_url").StringOrNull(p.info.admin_url)
      .Key("queue").StringOrNull(found.queue)
      .Key("admitted").Bool(found.admitted)
      .Key("auto_register").Bool(found.auto_register)
      .Key("policy").StringOrNull(found.policy_note)
      .EndObject();
  return w.str();
}

std::string PrintersJson(const std::vector<FoundPrinter>& printers) {
  if (printers.empty()) return "[]\n";
  std::string out = "[\n";
  for (std::size_t i = 0; i < printers.size(); ++i) {
    out += "  " + PrinterJson(printers[i]) + (i + 1 < printers.size() ? ",\n" : "\n");
  }
  return out + "]\n";
}

std::string PrintersTable(const std::vector<FoundPrinter>& printers, std::size_t width) {
  constexpr std::size_t kColumns = 7;
  struct Row {
    std::string cells[kColumns];
  };
  bool any_note = false;
  std::vector<Row> rows;
  rows.push_back(Row{{"NAME", "MAKE AND MODEL", "ADDRESS", "PROTOCOLS", "IDENTITY", "QUEUE", "POLICY"}});
  for (const FoundPrinter& f : printers) {
    const discovery::Printer& p = f.printer;
    std::string address = p.addresses.empty() ? "-" : p.addresses.front();
    if (const discovery::Endpoint* best = p.Best()) {
      address = best->ipv6 ? "[" + best->address + "]:" + std::to_string(best->port)
                           : best->address + ":" + std::to_string(best->port);
    }
    if (p.addresses.size() > 1) address += " (+" + std::to_string(p.addresses.size() - 1) + ")";
    any_note = any_note || !f.policy_note.empty();
    rows.push_back(Row{{p.name, p.info.make_and_model.empty() ? "-" : p.info.make_and_model, address,
                        ProtocolList(p), IdentityOf(p), f.queue.empty() ? "no queue" : f.queue, f.policy_note}});
  }
  const std::size_t columns = any_note ? kColumns : kColumns - 1;
  std::size_t widths[kColumns] = {};
  for (Row& r : rows) {
    for (std::size_t c = 0; c < columns; ++c) {
      if (width != 0 && c < 2) r.cells[c] = text::Ellipsize(r.cells[c], width);
      widths[c] = std::max(widths[c], text::CodePoints(r.cells[c]));
    }
  }
  std::string out;
  for (const Row& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      line += r.cells[c];
      if (c + 1 < columns) line.append(widths[c] - text::CodePoints(r.cells[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace cupswps::backend
