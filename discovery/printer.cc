// SPDX-License-Identifier: Apache-2.0
// Merging adverts into printers; see printer.h.
#include "discovery/printer.h"

#include <algorithm>
#include <tuple>

#include "common/text.h"

namespace cupswps::discovery {
namespace {

constexpr std::size_t kMaxNameBytes = 127;

std::string HostForUri(const Endpoint& e) {
  if (!e.ipv6) return e.address;
  std::string a = e.address;
  const std::size_t pct = a.find('%');
  if (pct != std::string::npos) a.replace(pct, 1, "%25");
  return "[" + a + "]";
}

void FillEmpty(std::string& dst, const std::string& src) {
  if (dst.empty()) dst = src;
}

// Endpoint order: service preference, then IPv4 before IPv6, then global
// IPv6 before link-local, then stable by address and interface.
auto EndpointRank(const Endpoint& e) {
  const bool link_local = e.ipv6 && e.address.find('%') != std::string::npos;
  return std::make_tuple(static_cast<int>(e.type), e.ipv6, link_local, e.address, e.interface, e.port);
}

}  // namespace

std::string_view DnssdType(ServiceType t) {
  switch (t) {
    case ServiceType::kIpps: return "_ipps._tcp";
    case ServiceType::kIpp: return "_ipp._tcp";
    case ServiceType::kPdlDatastream: return "_pdl-datastream._tcp";
    case ServiceType::kPrinter: return "_printer._tcp";
  }
  return "";
}

std::string_view ShortName(ServiceType t) {
  switch (t) {
    case ServiceType::kIpps: return "ipps";
    case ServiceType::kIpp: return "ipp";
    case ServiceType::kPdlDatastream: return "pdl-datastream";
    case ServiceType::kPrinter: return "printer";
  }
  return "";
}

std::optional<ServiceType> ServiceTypeFromDnssd(std::string_view type) {
  for (const ServiceType t : kAllServiceTypes) {
    if (DnssdType(t) == type) return t;
  }
  return std::nullopt;
}

std::string DisplayName(const AdvertId& id) { return text::Clean(id.name, kMaxNameBytes); }

std::string Endpoint::Uri() const {
  std::string scheme;
  switch (type) {
    case ServiceType::kIpps: scheme = "ipps"; break;
    case ServiceType::kIpp: scheme = "ipp"; break;
    case ServiceType::kPdlDatastream: scheme = "socket"; break;
    case ServiceType::kPrinter: scheme = "lpd"; break;
  }
  std::string uri = scheme + "://" + HostForUri(*this) + ":" + std::to_string(port);
  if (type != ServiceType::kPdlDatastream) uri += "/" + resource;
  return uri;
}

const Endpoint* Printer::BestIpp() const {
  for (const Endpoint& e : endpoints) {
    if (e.IsIpp()) return &e;
  }
  return nullptr;
}

std::vector<std::string> PrinterTable::Upsert(Advert advert) {
  std::vector<std::string> changed;
  auto [it, inserted] = adverts_.try_emplace(advert.id);
  Entry& e = it->second;
  if (inserted) {
    e.name = DisplayName(it->first);
    e.lname = text::AsciiLower(e.name);
    by_name_[e.lname].insert(&*it);
  }
  if (!e.key.empty()) changed.push_back(e.key);  // its content changes
  e.info = InterpretPrinterTxt(advert.txt);
  e.advert = std::move(advert);
  Rekey(e.lname, &changed);
  if (!e.key.empty()) changed.push_back(e.key);
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  return changed;
}

std::vector<std::string> PrinterTable::Remove(const AdvertId& id) {
  const auto it = adverts_.find(id);
  if (it == adverts_.end()) return {};
  std::vector<std::string> changed;
  if (!it->second.key.empty()) changed.push_back(it->second.key);
  Unindex(&*it);
  const std::string lname = it->second.lname;
  const auto group = by_name_.find(lname);
  group->second.erase(&*it);
  adverts_.erase(it);
  if (group->second.empty()) {
    by_name_.erase(group);
  } else {
    Rekey(lname, &changed);
  }
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  return changed;
}

void PrinterTable::Clear() {
  by_key_.clear();
  by_name_.clear();
  adverts_.clear();
}

void PrinterTable::Rekey(const std::string& lname, std::vector<std::string>* changed) {
  // Adverts without a UUID (a port-0 _printer._tcp placeholder, say) join the
  // printer with the same instance name when exactly one UUID goes with it.
  const Group& group = by_name_.at(lname);
  std::string shared;
  bool any = false;
  for (const Node* n : group) {
    const std::string& uuid = n->second.info.uuid;
    if (uuid.empty()) continue;
    if (!any) {
      shared = uuid;
      any = true;
    } else if (shared != uuid) {
      shared.clear();  // two UUIDs under one name: nobody joins either
    }
  }
  for (Node* n : group) {
    const Entry& e = n->second;
    std::string key;
    if (e.name.empty()) {
      // nothing printable in its name: nothing to show or key on
    } else if (!e.info.uuid.empty()) {
      key = "uuid:" + e.info.uuid;
    } else {
      key = shared.empty() ? "name:" + e.name : "uuid:" + shared;
    }
    if (key == e.key) continue;
    if (!e.key.empty()) changed->push_back(e.key);
    if (!key.empty()) changed->push_back(key);
    Unindex(n);
    Index(n, key);
  }
}

void PrinterTable::Index(Node* node, const std::string& key) {
  node->second.key = key;
  if (!key.empty()) by_key_[key].insert(node);
}

void PrinterTable::Unindex(Node* node) {
  const std::string& key = node->second.key;
  if (key.empty()) return;
  const auto it = by_key_.find(key);
  it->second.erase(node);
  if (it->second.empty()) by_key_.erase(it);
  node->second.key.clear();
}

std::optional<Printer> PrinterTable::Find(const std::string& key) const {
  const auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return Merge(key, it->second);
}

std::vector<Printer> PrinterTable::Printers() const {
  std::vector<Printer> out;
  out.reserve(by_key_.size());
  for (const auto& [key, adverts] : by_key_) {
    if (auto p = Merge(key, adverts)) out.push_back(std::move(*p));
  }
  std::sort(out.begin(), out.end(), [](const Printer& a, const Printer& b) {
    return std::tie(a.name, a.key) < std::tie(b.name, b.key);
  });
  return out;
}

std::optional<Printer> PrinterTable::Merge(const std::string& key, const Group& adverts) const {
  // Most preferred service type first, so its TXT fills the fields first.
  std::vector<const Entry*> entries;
  entries.reserve(adverts.size());
  for (const Node* n : adverts) entries.push_back(&n->second);
  std::stable_sort(entries.begin(), entries.end(), [](const Entry* a, const Entry* b) {
    return static_cast<int>(a->advert.id.type) < static_cast<int>(b->advert.id.type);
  });
  Printer p;
  p.key = key;
  if (key.rfind("uuid:", 0) == 0) p.uuid = key.substr(5);
  for (const Entry* e : entries) {
    const Advert& advert = e->advert;
    const PrinterTxt& info = e->info;
    if (p.name.empty()) {
      p.name = e->name;
      p.host_name = advert.host_name;
    }
    for (const auto& [k, v] : advert.txt.values) p.txt.emplace(k, v);
    PrinterTxt& m = p.info;
    FillEmpty(m.uuid, info.uuid);
    FillEmpty(m.make_and_model, info.make_and_model);
    FillEmpty(m.manufacturer, info.manufacturer);
    FillEmpty(m.model, info.model);
    FillEmpty(m.location, info.location);
    FillEmpty(m.admin_url, info.admin_url);
    if (m.pdl.empty()) m.pdl = info.pdl;
    m.color = m.color || info.color;
    m.duplex = m.duplex || info.duplex;
    m.tls = m.tls || info.tls;
    if (std::find(p.services.begin(), p.services.end(), advert.id.type) == p.services.end()) {
      p.services.push_back(advert.id.type);
    }
    if (advert.port != 0 && !advert.address.empty()) {
      p.endpoints.push_back(Endpoint{advert.id.type, advert.host_name, advert.address, advert.address_ipv6,
                                     advert.id.interface, advert.port, info.resource});
    }
  }
  // Only placeholders (port 0) so far: nothing to print to. Its real
  // adverts usually follow within milliseconds; listing it now would make
  // a printer appear and vanish under another key.
  if (p.endpoints.empty()) return std::nullopt;
  std::sort(p.endpoints.begin(), p.endpoints.end(),
            [](const Endpoint& a, const Endpoint& b) { return EndpointRank(a) < EndpointRank(b); });
  p.endpoints.erase(std::unique(p.endpoints.begin(), p.endpoints.end(),
                                [](const Endpoint& a, const Endpoint& b) { return EndpointRank(a) == EndpointRank(b); }),
                    p.endpoints.end());
  std::sort(p.services.begin(), p.services.end());
  for (const Endpoint& e : p.endpoints) {
    if (std::find(p.addresses.begin(), p.addresses.end(), e.address) == p.addresses.end()) {
      p.addresses.push_back(e.address);
    }
  }
  std::stable_sort(p.addresses.begin(), p.addresses.end(), [](const std::string& a, const std::string& b) {
    return (a.find(':') != std::string::npos) < (b.find(':') != std::string::npos);
  });
  p.host_name = p.endpoints.front().host_name;
  return p;
}

bool Settled(const Printer& p) {
  bool ipps = false, ipp = false;
  for (const Endpoint& e : p.endpoints) {
    if (e.ipv6) continue;
    ipps = ipps || e.type == ServiceType::kIpps;
    ipp = ipp || e.type == ServiceType::kIpp;
  }
  return ipps && ipp;
}

}  // namespace cupswps::discovery
