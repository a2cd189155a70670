// SPDX-License-Identifier: Apache-2.0
// A physical printer: all adverts of one device (ipp + ipps + pdl + printer,
// IPv4 + IPv6, several interfaces) merged under one key. Pure; no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "discovery/advert.h"
#include "discovery/txt.h"

namespace cupswps::discovery {

struct Endpoint {
  ServiceType type = ServiceType::kIpp;
  std::string host_name;
  std::string address;  // numeric; IPv6 link-local with "%ifname"
  bool ipv6 = false;
  int interface = 0;
  std::uint16_t port = 0;
  std::string resource;  // path without leading '/'

  // "ipps://10.0.0.5:631/ipp/print", "socket://10.0.0.5:9100",
  // "lpd://10.0.0.5:515/queue"; IPv6 in brackets with "%25" before the zone.
  std::string Uri() const;
  bool IsIpp() const { return type == ServiceType::kIpp || type == ServiceType::kIpps; }
};

struct Printer {
  // "uuid:<uuid>" when any advert carries a UUID, else "name:<instance name>".
  // Stable across address, port and interface changes.
  std::string key;
  std::string uuid;  // may be empty
  std::string name;  // cleaned service instance name
  std::string host_name;
  PrinterTxt info;   // merged from the adverts, most preferred service first
  std::map<std::string, std::string> txt;  // cleaned raw TXT, first advert (most preferred) wins per key
  std::vector<Endpoint> endpoints;  // usable ones (port > 0), best first
  std::vector<ServiceType> services;    // every service type seen, in preference order
  std::vector<std::string> addresses;   // distinct numeric addresses, IPv4 first

  const Endpoint* Best() const { return endpoints.empty() ? nullptr : &endpoints.front(); }
  // Best IPP endpoint (ipps, else ipp), or nullptr.
  const Endpoint* BestIpp() const;
  // It advertises IPPS, so its identity (its TLS key) can be pinned.
  bool OffersIpps() const { return BestIpp() != nullptr && BestIpp()->type == ServiceType::kIpps; }
};

// How long to wait after a printer's first advert for its others (ipps
// after ipp, IPv4 after IPv6), so that its best endpoint is known.
inline constexpr double kSettleSeconds = 0.3;

// Nothing better is coming for a printer once its ipps and ipp adverts are
// both in over IPv4 (what registration connects to): no need to settle.
bool Settled(const Printer& p);

// The set of live adverts and the merged per-printer view of them. It keeps
// its adverts indexed by printer key, so that one advert's change costs the
// rebuild of its own printer only: Upsert and Remove say which printers may
// have changed, Find rebuilds one.
class PrinterTable {
 public:
  // Both return the keys of the printers whose merged view may have changed:
  // the advert's printer before and after, and those of the adverts that
  // changed printer with it (an advert without a UUID joins the printer of
  // the same name that has one). Remove returns nothing for an unknown advert.
  std::vector<std::string> Upsert(Advert advert);
  std::vector<std::string> Remove(const AdvertId& id);
  void Clear();
  std::size_t advert_count() const { return adverts_.size(); }

  // Merged printers with at least one usable endpoint, ordered by name then key.
  std::vector<Printer> Printers() const;
  // The merged printer under `key`, or nullopt when it has no usable endpoint.
  std::optional<Printer> Find(const std::string& key) const;

 private:
  struct Entry {
    Advert advert;
    PrinterTxt info;    // InterpretPrinterTxt(advert.txt), once per advert
    std::string name;   // DisplayName(advert.id); "" keeps it out of every printer
    std::string lname;  // name in lower case: the adverts that may share a UUID
    std::string key;    // of the printer it is part of now, or ""
  };
  using Node = std::map<AdvertId, Entry>::value_type;
  struct ById {
    bool operator()(const Node* a, const Node* b) const { return a->first < b->first; }
  };
  using Group = std::set<Node*, ById>;

  // Gives every advert named `lname` its key again; adds the keys that changed.
  void Rekey(const std::string& lname, std::vector<std::string>* changed);
  void Index(Node* node, const std::string& key);
  void Unindex(Node* node);
  std::optional<Printer> Merge(const std::string& key, const Group& adverts) const;

  std::map<AdvertId, Entry> adverts_;
  std::unordered_map<std::string, Group> by_name_;  // lname -> adverts
  std::unordered_map<std::string, Group> by_key_;   // printer key -> its adverts
};

}  // namespace cupswps::discovery
