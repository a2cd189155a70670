// SPDX-License-Identifier: Apache-2.0
// Queue matching and CUPS-Get-Printers; see queues.h.
#include "queues/queue.h"

#include <cups/cups.h>

#include "common/ids.h"
#include "common/text.h"
#include "discovery/wps_uri.h"

namespace cupswps::queues {

using discovery::Endpoint;
using discovery::ParseWpsUri;
using discovery::Printer;
namespace {

struct UriParts {
  std::string scheme, host, resource;
  int port = 0;
};

bool SplitUri(const std::string& uri, UriParts* out) {
  char scheme[32], user[256], host[256], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, uri.c_str(), scheme, sizeof scheme, user, sizeof user, host,
                      sizeof host, &port, resource, sizeof resource) < HTTP_URI_STATUS_OK) {
    return false;
  }
  out->scheme = scheme;
  out->host = text::AsciiLower(host);
  while (!out->host.empty() && out->host.back() == '.') out->host.pop_back();
  out->resource = resource;
  out->port = port;
  return true;
}

int DefaultPort(const std::string& scheme) {
  if (scheme == "ipp" || scheme == "ipps") return 631;
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  if (scheme == "socket") return 9100;
  if (scheme == "lpd") return 515;
  return 0;
}

std::string UuidParam(const std::string& uri) {
  const std::size_t q = uri.find('?');
  if (q == std::string::npos) return {};
  std::string_view query = std::string_view(uri).substr(q + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    if (item.substr(0, 5) == "uuid=") return NormalizeUuid(item.substr(5));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

bool SameUuid(const Printer& p, const Queue& q) {
  if (p.uuid.empty()) return false;
  if (NormalizeUuid(q.uuid) == p.uuid) return true;
  if (UuidParam(q.device_uri) == p.uuid) return true;
  const auto wps = ParseWpsUri(q.device_uri);
  return wps && wps->uuid == p.uuid;
}

// The UUID a queue's device URI names, if any.
std::string UriUuid(const Queue& q) {
  if (std::string u = UuidParam(q.device_uri); !u.empty()) return u;
  const auto wps = ParseWpsUri(q.device_uri);
  return wps ? wps->uuid : std::string();
}

std::string StripSlashes(std::string s) {
  while (!s.empty() && s.front() == '/') s.erase(0, 1);
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

bool SameEndpoint(const Printer& p, const Queue& q) {
  if (!UriUuid(q).empty()) return false;
  UriParts u;
  if (!SplitUri(q.device_uri, &u) || u.host.empty()) return false;
  if (u.scheme == "wps") {
    const auto wps = ParseWpsUri(q.device_uri);
    return wps && !wps->name.empty() && wps->name == p.name;
  }
  if (u.scheme == "dnssd") {
    // dnssd://Instance%20Name._ipp._tcp.local/  (host decoded by SplitUri)
    const std::size_t svc = u.host.find("._");
    return svc != std::string::npos && u.host.substr(0, svc) == text::AsciiLower(p.name);
  }
  const int port = u.port != 0 ? u.port : DefaultPort(u.scheme);
  std::string host = u.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const bool has_path = u.scheme != "socket";
  for (const Endpoint& e : p.endpoints) {
    if (e.port != port) continue;
    if (has_path && StripSlashes(u.resource) != StripSlashes(e.resource)) continue;
    std::string addr = text::AsciiLower(e.address);
    std::string host_name = text::AsciiLower(e.host_name);
    while (!host_name.empty() && host_name.back() == '.') host_name.pop_back();
    // A link-local zone may be written differently; compare without it.
    auto strip_zone = [](std::string s) { return s.substr(0, s.find('%')); };
    if (strip_zone(addr) == strip_zone(host) || host_name == host) return true;
  }
  return false;
}

}  // namespace

std::string FindQueue(const Printer& printer, const std::vector<Queue>& queues) {
  for (const Queue& q : queues) {
    if (SameUuid(printer, q)) return q.name;
  }
  for (const Queue& q : queues) {
    if (SameEndpoint(printer, q)) return q.name;
  }
  return {};
}

}  // namespace cupswps::queues
