// SPDX-License-Identifier: Apache-2.0
// Reading avahi-daemon's ResolveService reply; see avahi_resolve_reply.h.
#include "discovery/avahi_resolve_reply.h"

#include <avahi-common/address.h>
#include <net/if.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/handle.h"
#include "common/log.h"
#include "common/text.h"

namespace cupswps::discovery {
namespace {

constexpr std::size_t kMaxHostBytes = 255;

// The address avahi-daemon reports, checked: a numeric IPv4 or IPv6 address
// of the family asked for, nothing else.
std::optional<AvahiAddress> ParseAddress(const char* text, bool ipv6) {
  AvahiAddress a{};
  if (text == nullptr || avahi_address_parse(text, ipv6 ? AVAHI_PROTO_INET6 : AVAHI_PROTO_INET, &a) == nullptr) {
    return std::nullopt;
  }
  return a;
}

bool IsLinkLocal6(const AvahiAddress& a) {
  return a.proto == AVAHI_PROTO_INET6 && a.data.ipv6.address[0] == 0xfe && (a.data.ipv6.address[1] & 0xc0) == 0x80;
}

}  // namespace

std::optional<Advert> ParseResolveReply(AdvertId id, GVariant* reply) {
  // Interface, protocol, name, type and domain repeat the request: skipped.
  gint32 aprotocol = 0;
  const char *host = nullptr, *address = nullptr;
  guint16 port = 0;
  GVariantIter* txt = nullptr;
  g_variant_get(reply, "(ii&s&s&s&si&sqaayu)", nullptr, nullptr, nullptr, nullptr, nullptr, &host, &aprotocol,
                &address, &port, &txt, nullptr);
  CPtr<GVariantIter, g_variant_iter_free> txt_owner(txt);
  const auto parsed = ParseAddress(address, aprotocol == AVAHI_PROTO_INET6);
  if (!parsed) {
    log::Debug("advert '" + DisplayName(id) + "': avahi-daemon gave no usable address");
    return std::nullopt;
  }
  Advert advert;
  advert.id = std::move(id);
  advert.host_name = text::Clean(host != nullptr ? host : "", kMaxHostBytes);
  char buf[AVAHI_ADDRESS_STR_MAX] = {};
  avahi_address_snprint(buf, sizeof buf, &*parsed);
  advert.address = buf;
  advert.address_ipv6 = parsed->proto == AVAHI_PROTO_INET6;
  if (IsLinkLocal6(*parsed)) {
    char ifname[IF_NAMESIZE] = {};
    if (if_indextoname(static_cast<unsigned>(advert.id.interface), ifname) != nullptr) {
      advert.address += "%";
      advert.address += ifname;
    }
  }
  advert.port = port;
  std::vector<std::string> entries;
  GVariant* entry = nullptr;
  while ((entry = g_variant_iter_next_value(txt)) != nullptr) {
    gsize size = 0;
    const auto* bytes = static_cast<const char*>(g_variant_get_fixed_array(entry, &size, 1));
    entries.emplace_back(bytes != nullptr ? bytes : "", bytes != nullptr ? size : 0);
    g_variant_unref(entry);
  }
  // avahi-daemon sends the TXT strings last to first; keep the advert's order.
  std::reverse(entries.begin(), entries.end());
  advert.txt = ParseTxt(entries);
  for (const std::string& p : advert.txt.problems) {
    log::Debug("advert '" + DisplayName(advert.id) + "': " + p);
  }
  return advert;
}

}  // namespace cupswps::discovery
