// Merging adverts into printers; see printer.h.
#include "discovery/printer.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

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

void PrinterTable::Upsert(Advert advert) {
  AdvertId id = advert.id;
  PrinterTxt info = InterpretPrinterTxt(advert.txt);
  adverts_.insert_or_assign(std::move(id), Entry{std::move(advert), std::move(info)});
}

bool PrinterTable::Remove(const AdvertId& id) { return adverts_.erase(id) != 0; }

std::vector<Printer> PrinterTable::Printers() const {
  // Adverts without a UUID (a port-0 _printer._tcp placeholder, say) join the
  // printer with the same instance name when exactly one UUID goes with it.
  std::unordered_map<std::string, std::string> uuid_by_name;  // lower name -> uuid, "" if ambiguous
  std::vector<std::pair<const Advert*, const PrinterTxt*>> parsed;
  parsed.reserve(adverts_.size());
  for (const auto& [id, entry] : adverts_) {
    const PrinterTxt& info = entry.info;
    if (!info.uuid.empty()) {
      const std::string lname = text::AsciiLower(DisplayName(id));
      auto [it, inserted] = uuid_by_name.emplace(lname, info.uuid);
      if (!inserted && it->second != info.uuid) it->second.clear();
    }
    parsed.emplace_back(&entry.advert, &info);
  }
  // Most preferred service type first, so its TXT fills the fields first.
  std::stable_sort(parsed.begin(), parsed.end(), [](const auto& a, const auto& b) {
    return static_cast<int>(a.first->id.type) < static_cast<int>(b.first->id.type);
  });

  std::map<std::string, Printer> by_key;
  for (const auto& [advert, info_ptr] : parsed) {
    const PrinterTxt& info = *info_ptr;
    const std::string name = DisplayName(advert->id);
    if (name.empty()) continue;  // nothing printable in its name: nothing to show or key on
    std::string uuid = info.uuid;
    if (uuid.empty()) {
      const auto it = uuid_by_name.find(text::AsciiLower(name));
      if (it != uuid_by_name.end()) uuid = it->second;
    }
    const std::string key = uuid.empty() ? "name:" + name : "uuid:" + uuid;
    Printer& p = by_key[key];
    if (p.key.empty()) {
      p.key = key;
      p.uuid = uuid;
      p.name = name;
      p.host_name = advert->host_name;
    }
    for (const auto& [k, v] : advert->txt.values) p.txt.emplace(k, v);
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
    if (std::find(p.services.begin(), p.services.end(), advert->id.type) == p.services.end()) {
      p.services.push_back(advert->id.type);
    }
    if (advert->port != 0 && !advert->address.empty()) {
      p.endpoints.push_back(Endpoint{advert->id.type, advert->host_name, advert->address,
                                     advert->address_ipv6, advert->id.interface, advert->port,
                                     info.resource});
    }
  }

  std::vector<Printer> out;
  out.reserve(by_key.size());
  for (auto& [key, p] : by_key) {
    // Only placeholders (port 0) so far: nothing to print to. Its real
    // adverts usually follow within milliseconds; listing it now would make
    // a printer appear and vanish under another key.
    if (p.endpoints.empty()) continue;
    std::sort(p.endpoints.begin(), p.endpoints.end(),
              [](const Endpoint& a, const Endpoint& b) { return EndpointRank(a) < EndpointRank(b); });
    p.endpoints.erase(std::unique(p.endpoints.begin(), p.endpoints.end(),
                                  [](const Endpoint& a, const Endpoint& b) {
                                    return EndpointRank(a) == EndpointRank(b);
                                  }),
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
    if (!p.endpoints.empty()) p.host_name = p.endpoints.front().host_name;
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Printer& a, const Printer& b) {
    return std::tie(a.name, a.key) < std::tie(b.name, b.key);
  });
  return out;
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
