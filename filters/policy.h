// SPDX-License-Identifier: Apache-2.0
// Registration policy: which discovered printers may get a queue. Parsed
// from a config file (/etc/cups/cups-wps.conf by default); pure, no I/O but
// for LoadPolicyFile. The syntax (also in cups-wps.conf(5) and README):
//
//   # comment
//   allow|deny FIELD PATTERN        first matching rule wins
//   add-default allow|deny          no rule matched, `add`/`setup` (default: allow)
//   watch-default local|allow|deny  no rule matched, `watch` (default: local:
//                                   link-local or on a subnet of this host)
//   require-tls [yes|no]            refuse, before any rule, printers that offer
//                                   no IPPS: their identity cannot be verified
//
// FIELD: make-model (glob), name (glob), uuid (exact), address (address or
// CIDR, IPv4 or IPv6), service (ipp, ipps, pdl-datastream, printer), txt:KEY
// (glob on the value; "*" = the key is present), any (PATTERN ignored).
// Globs use * and ?, case-insensitive. PATTERN may be "quoted".
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "discovery/printer.h"

namespace cupswps::filters {

inline constexpr char kDefaultPolicyPath[] = "/etc/cups/cups-wps.conf";

enum class Mode { kAdd, kWatch };

struct Rule {
  bool allow = true;
  std::string field;    // "make-model", "name", "uuid", "address", "service", "txt:<key>", "any"
  std::string pattern;
  int line = 0;         // in the file, for messages
};

enum class Default { kAllow, kDeny, kLocal };

struct Policy {
  std::vector<Rule> rules;
  Default add_default = Default::kAllow;
  Default watch_default = Default::kLocal;
  bool require_tls = false;  // require-tls, or add/watch --require-tls
};

// The host's own networks, for the "local" default.
struct LocalNetworks {
  struct Net {
    std::string address;  // numeric
    int prefix = 0;
  };
  std::vector<Net> nets;
  static LocalNetworks FromHost();  // getifaddrs
};

struct Decision {
  bool admitted = false;
  std::string reason;  // one phrase: "denied by rule at line 3 (make-model \"*Fax*\")"
};

Result<Policy> ParsePolicy(const std::string& text);
// A missing file is the default policy; an unreadable or malformed one is an Error.
Result<Policy> LoadPolicyFile(const std::string& path);

Decision Evaluate(const Policy& policy, Mode mode, const discovery::Printer& printer,
                  const LocalNetworks& local);

// Helpers, exposed for tests.
bool GlobMatch(std::string_view pattern, std::string_view text);  // case-insensitive
bool AddressInNet(const std::string& address, const std::string& net, int prefix);
bool IsLinkLocal(const std::string& address);

}  // namespace cupswps::filters
