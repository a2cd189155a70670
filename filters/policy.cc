// SPDX-License-Identifier: Apache-2.0
// Registration policy; see policy.h.
#include "filters/policy.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/text.h"

namespace cupswps::filters {
namespace {

constexpr std::size_t kMaxPolicyBytes = 1 << 20;
constexpr std::size_t kMaxRules = 10000;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Address bytes (4 or 16) of a numeric address without zone, or empty.
std::vector<unsigned char> Bytes(const std::string& address) {
  std::string a = address.substr(0, address.find('%'));
  unsigned char buf[16];
  if (inet_pton(AF_INET, a.c_str(), buf) == 1) return {buf, buf + 4};
  if (inet_pton(AF_INET6, a.c_str(), buf) == 1) {
    // IPv4-mapped IPv6 compares as IPv4.
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(buf, kMapped, 12) == 0) return {buf + 12, buf + 16};
    return {buf, buf + 16};
  }
  return {};
}

// Splits a line into words; "double quoted" words may hold spaces.
bool Words(const std::string& line, std::vector<std::string>* out) {
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    std::string w;
    if (line[i] == '"') {
      const std::size_t end = line.find('"', i + 1);
      if (end == std::string::npos) return false;
      w = line.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') w.push_back(line[i++]);
    }
    out->push_back(std::move(w));
  }
  return true;
}

Error Bad(int line, const std::string& what) {
  return Error{ErrorCode::kInvalidArgument, "policy line " + std::to_string(line) + ": " + what, ""};
}

bool KnownField(const std::string& f) {
  return f == "make-model" || f == "name" || f == "uuid" || f == "address" || f == "service" || f == "any" ||
         (f.rfind("txt:", 0) == 0 && f.size() > 4);
}

bool RuleMatches(const Rule& r, const discovery::Printer& p) {
  if (r.field == "any") return true;
  if (r.field == "make-model") return GlobMatch(r.pattern, p.info.make_and_model);
  if (r.field == "name") return GlobMatch(r.pattern, p.name);
  if (r.field == "uuid") return !p.uuid.empty() && text::AsciiLower(r.pattern) == p.uuid;
  if (r.field == "service") {
    for (const discovery::ServiceType t : p.services) {
      if (discovery::ShortName(t) == r.pattern) return true;
    }
    return false;
  }
  if (r.field == "address") {
    std::string net = r.pattern;
    int prefix = -1;
    if (const std::size_t slash = net.find('/'); slash != std::string::npos) {
      const std::string bits = net.substr(slash + 1);
      net = net.substr(0, slash);
      const auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (ec != std::errc() || ptr != bits.data() + bits.size()) return false;
    }
    for (const std::string& a : p.addresses) {
      const int full = static_cast<int>(Bytes(net).size()) * 8;
      if (AddressInNet(a, net, prefix < 0 ? full : prefix)) return true;
    }
    return false;
  }
  if (r.field.rfind("txt:", 0) == 0) {
    // The keys the printer's merged, interpreted TXT covers come from there
    // (the same values `list` shows); any other key from its cleaned raw TXT
    // (Printer::txt: the most preferred advert's value).
    const std::string key = r.field.substr(4);
    const discovery::PrinterTxt& t = p.info;
    std::string value;
    bool present = true;
    if (key == "ty") value = t.make_and_model;
    else if (key == "note") value = t.location;
    else if (key == "uuid") value = t.uuid;
    else if (key == "adminurl") value = t.admin_url;
    else if (key == "rp") value = t.resource;
    else if (key == "pdl") {
      for (const std::string& m : t.pdl) value += (value.empty() ? "" : ",") + m;
    } else {
      const auto it = p.txt.find(key);
      present = it != p.txt.end();
      if (present) value = it->second;
    }
    if (!present) return false;
    return r.pattern == "*" || GlobMatch(r.pattern, value);
  }
  return false;
}

std::string Describe(const Rule& r) {
  return "rule at line " + std::to_string(r.line) + " (" + (r.allow ? "allow " : "deny ") + r.field +
         (r.field == "any" ? "" : " \"" + r.pattern + "\"") + ")";
}

bool IsLocal(const discovery::Printer& p, const LocalNetworks& local) {
  for (const std::string& a : p.addresses) {
    if (IsLinkLocal(a)) return true;
    for (const LocalNetworks::Net& n : local.nets) {
      if (AddressInNet(a, n.address, n.prefix)) return true;
    }
  }
  return false;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match with one backtrack point: linear in practice,
  // never exponential, whatever the pattern.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || Lower(pattern[p]) == Lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool AddressInNet(const std::string& address, const std::string& net, int prefix) {
  const auto a = Bytes(address);
  const auto n = Bytes(net);
  if (a.empty() || a.size() != n.size() || prefix < 0 || prefix > static_cast<int>(a.size()) * 8) return false;
  int bits = prefix;
  for (std::size_t i = 0; i < a.size() && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (n[i] & mask)) return false;
  }
  return true;
}

bool IsLinkLocal(const std::string& address) {
  return AddressInNet(address, "169.254.0.0", 16) || AddressInNet(address, "fe80::", 10);
}

LocalNetworks LocalNetworks::FromHost() {
  LocalNetworks out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_netmask == nullptr) continue;
    char buf[INET6_ADDRSTRLEN] = {};
    int prefix = 0;
    if (i->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, buf, sizeof buf);
      prefix = __builtin_popcount(reinterpret_cast<sockaddr_in*>(i->ifa_netmask)->sin_addr.s_addr);
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr, buf, sizeof buf);
      const auto* m = reinterpret_cast<sockaddr_in6*>(i->ifa_netmask)->sin6_addr.s6_addr;
      for (int k = 0; k < 16; ++k) prefix += __builtin_popcount(m[k]);
    } else {
      continue;
    }
    if (std::strncmp(buf, "127.", 4) == 0 || std::strcmp(buf, "::1") == 0) continue;
    out.nets.push_back({buf, prefix});
  }
  freeifaddrs(list);
  return out;
}

Result<Policy> ParsePolicy(const std::string& text) {
  Policy policy;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> w;
    if (!Words(line, &w)) return Bad(n, "a quote is not closed");
    if (w.empty()) continue;
    const std::string& verb = w[0];
    if (verb == "allow" || verb == "deny") {
      if (w.size() < 2 || !KnownField(w[1])) {
        return Bad(n, "expected 'allow|deny FIELD PATTERN' with FIELD one of make-model, name, uuid, address, "
                      "service, txt:KEY, any");
      }
      if (w[1] != "any" && w.size() != 3) return Bad(n, "'" + w[1] + "' takes exactly one PATTERN");
      if (w[1] == "any" && w.size() != 2) return Bad(n, "'any' takes no PATTERN");
      Rule r{verb == "allow", w[1], w.size() == 3 ? w[2] : "", n};
      if (r.field == "address") {
        const std::string net = r.pattern.substr(0, r.pattern.find('/'));
        if (Bytes(net).empty()) return Bad(n, "'" + r.pattern + "' is not an address or CIDR subnet");
      }
      if (policy.rules.size() >= kMaxRules) return Bad(n, "too many rules");
      policy.rules.push_back(std::move(r));
    } else if (verb == "require-tls") {
      if (w.size() > 2 || (w.size() == 2 && w[1] != "yes" && w[1] != "no")) {
        return Bad(n, "'require-tls' takes nothing, yes or no");
      }
      policy.require_tls = w.size() == 1 || w[1] == "yes";
    } else if (verb == "add-default" || verb == "watch-default") {
      if (w.size() != 2) return Bad(n, "'" + verb + "' takes one value");
      Default d;
      if (w[1] == "allow") d = Default::kAllow;
      else if (w[1] == "deny") d = Default::kDeny;
      else if (w[1] == "local" && verb == "watch-default") d = Default::kLocal;
      else return Bad(n, "'" + verb + "' takes " + (verb == "add-default" ? "allow or deny" : "local, allow or deny"));
      (verb == "add-default" ? policy.add_default : policy.watch_default) = d;
    } else {
      return Bad(n, "unknown directive '" + text::Clean(verb, 40) + "'");
    }
  }
  return policy;
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  struct stat st = {};
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Policy{};
    return Error{ErrorCode::kInvalidArgument, "Cannot read the policy file " + path + ": " + std::strerror(errno), ""};
  }
  if (!S_ISREG(st.st_mode)) {
    return Error{ErrorCode::kInvalidArgument, "The policy file " + path + " is not a regular file.", ""};
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    if (errno == ENOENT) return Policy{};
    return Error{ErrorCode::kInvalidArgument, "Cannot read the policy file " + path + ": " + std::strerror(errno), ""};
  }
  std::string text;
  text.resize(kMaxPolicyBytes + 1);
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(f.gcount()));
  if (text.size() > kMaxPolicyBytes) {
    return Error{ErrorCode::kInvalidArgument, "The policy file " + path + " is larger than 1 MiB.", ""};
  }
  auto policy = ParsePolicy(text);
  if (!policy) {
    return Error{ErrorCode::kInvalidArgument, path + ": " + policy.error().message, ""};
  }
  return policy;
}

Decision Evaluate(const Policy& policy, Mode mode, const discovery::Printer& printer, const LocalNetworks& local) {
  if (policy.require_tls && !printer.OffersIpps()) {
    return Decision{false, "unverified: it offers no IPPS, so its identity cannot be checked (require-tls)"};
  }
  for (const Rule& r : policy.rules) {
    if (RuleMatches(r, printer)) {
      return Decision{r.allow, (r.allow ? "allowed by " : "denied by ") + Describe(r)};
    }
  }
  const Default d = mode == Mode::kAdd ? policy.add_default : policy.watch_default;
  switch (d) {
    case Default::kAllow: return Decision{true, "allowed by default"};
    case Default::kDeny: return Decision{false, "denied by default (no rule allows it)"};
    case Default::kLocal:
      if (IsLocal(printer, local)) return Decision{true, "on a local network"};
      return Decision{false, "not on a local network (watch registers link-local and same-subnet printers only)"};
  }
  return Decision{false, "denied"};
}

}  // namespace cupswps::filters
