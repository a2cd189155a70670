// SPDX-License-Identifier: Apache-2.0
// One resolved DNS-SD advert (a service instance on one interface and protocol),
// after its TXT record has been parsed and cleaned. Pure data; no I/O.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/txt.h"

namespace cupswps::discovery {

// In order of preference for printing: ipps over ipp over the rest.
enum class ServiceType { kIpps = 0, kIpp = 1, kPdlDatastream = 2, kPrinter = 3 };

inline constexpr ServiceType kAllServiceTypes[] = {
    ServiceType::kIpps, ServiceType::kIpp, ServiceType::kPdlDatastream, ServiceType::kPrinter};

std::string_view DnssdType(ServiceType t);   // "_ipps._tcp"
std::string_view ShortName(ServiceType t);   // "ipps"
std::optional<ServiceType> ServiceTypeFromDnssd(std::string_view type);

// Identity of an advert as the mDNS browser reports it.
struct AdvertId {
  int interface = 0;  // kernel interface index
  bool ipv6 = false;  // protocol the advert was seen on
  std::string name;   // service instance name, as received (may hold anything)
  ServiceType type = ServiceType::kIpp;
  std::string domain;
  auto operator<=>(const AdvertId&) const = default;
  bool operator==(const AdvertId&) const = default;
};

struct Advert {
  AdvertId id;
  std::string host_name;  // e.g. "prnhost.local" (cleaned)
  std::string address;    // numeric; IPv6 link-local carries "%ifname"
  bool address_ipv6 = false;
  std::uint16_t port = 0;  // 0: placeholder advert, not an endpoint
  Txt txt;
};

// Human-readable, cleaned instance name (control characters removed).
std::string DisplayName(const AdvertId& id);

}  // namespace cupswps::discovery
