// SPDX-License-Identifier: Apache-2.0
#include "filters/policy.h"

#include <gtest/gtest.h>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::filters {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

discovery::Printer Printer(const std::string& address, std::vector<std::string> txt = {"ty=Acme LaserFax 9"}) {
  discovery::PrinterTable t;
  txt.push_back("UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42");
  t.Upsert(MakeAdvert("Front Desk", ServiceType::kIpp, address, 631, txt));
  return t.Printers().at(0);
}

const LocalNetworks kLocal{{{"192.168.1.10", 24}}};

TEST(Policy, DefaultsAdmitAddAndOnlyLocalPrintersForWatch) {
  const Policy p;
  EXPECT_TRUE(Evaluate(p, Mode::kAdd, Printer("10.9.9.9"), kLocal).admitted);
  EXPECT_FALSE(Evaluate(p, Mode::kWatch, Printer("10.9.9.9"), kLocal).admitted);
  EXPECT_TRUE(Evaluate(p, Mode::kWatch, Printer("192.168.1.77"), kLocal).admitted);
  EXPECT_TRUE(Evaluate(p, Mode::kWatch, Printer("169.254.3.4"), kLocal).admitted);
  EXPECT_TRUE(Evaluate(p, Mode::kWatch, Printer("fe80::1%eth0"), kLocal).admitted);
}

TEST(Policy, FirstMatchingRuleWins) {
  auto p = ParsePolicy(
      "# office\n"
      "deny make-model \"*fax*\"\n"
      "allow address 10.9.0.0/16\n"
      "deny any\n");
  ASSERT_TRUE(p) << p.error().message;
  const Decision d = Evaluate(*p, Mode::kAdd, Printer("10.9.9.9"), kLocal);
  EXPECT_FALSE(d.admitted);
  EXPECT_EQ(d.reason, "denied by rule at line 2 (deny make-model \"*fax*\")");
  EXPECT_TRUE(Evaluate(*p, Mode::kAdd, Printer("10.9.9.9", {"ty=Acme Jet"}), kLocal).admitted);
  EXPECT_FALSE(Evaluate(*p, Mode::kAdd, Printer("10.8.9.9", {"ty=Acme Jet"}), kLocal).admitted);
}

TEST(Policy, MatchesUuidServiceNameAndTxtKeys) {
  auto p = ParsePolicy(
      "allow uuid FBA4DF06-019D-30C1-59E7-8B56D39CDB42\n"
      "watch-default deny\n");
  ASSERT_TRUE(p);
  EXPECT_TRUE(Evaluate(*p, Mode::kWatch, Printer("10.9.9.9"), kLocal).admitted);

  auto q = ParsePolicy("deny txt:printer-type *\ndeny service printer\nallow name \"front*\"\nadd-default deny\n");
  ASSERT_TRUE(q);
  EXPECT_FALSE(Evaluate(*q, Mode::kAdd, Printer("10.9.9.9", {"printer-type=0x801046"}), kLocal).admitted);
  EXPECT_TRUE(Evaluate(*q, Mode::kAdd, Printer("10.9.9.9"), kLocal).admitted);
}

TEST(Policy, RequireTlsRefusesPrintersWithoutIppsBeforeAnyRule) {
  auto p = ParsePolicy("require-tls\nallow any\n");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(p->require_tls);
  const Decision d = Evaluate(*p, Mode::kWatch, Printer("10.9.9.9"), kLocal);
  EXPECT_FALSE(d.admitted);
  EXPECT_EQ(d.reason, "unverified: it offers no IPPS, so its identity cannot be checked (require-tls)");
  discovery::PrinterTable t;
  t.Upsert(MakeAdvert("Front Desk", ServiceType::kIpps, "10.9.9.9", 631, {"UUID=fba4df06-019d-30c1-59e7-8b56d39cdb42"}));
  EXPECT_TRUE(Evaluate(*p, Mode::kAdd, t.Printers().at(0), kLocal).admitted);
  EXPECT_FALSE(ParsePolicy("require-tls no\n")->require_tls);
  EXPECT_TRUE(ParsePolicy("require-tls yes\n")->require_tls);
  EXPECT_FALSE(Policy().require_tls);
}

TEST(Policy, IPv6SubnetsWork) {
  auto p = ParsePolicy("allow address 2001:db8::/32\nadd-default deny\n");
  ASSERT_TRUE(p);
  EXPECT_TRUE(Evaluate(*p, Mode::kAdd, Printer("2001:db8:1::5"), kLocal).admitted);
  EXPECT_FALSE(Evaluate(*p, Mode::kAdd, Printer("2001:db9::5"), kLocal).admitted);
}

TEST(Policy, MalformedFilesAreRefusedWithTheLine) {
  for (const char* bad : {"allow\n", "allow colour red\n", "allow address 10.0.0.300/8\n", "allow any extra\n",
                          "deny make-model \"unclosed\n", "frobnicate\n", "add-default local\n",
                          "allow name a b\n", "require-tls maybe\n", "require-tls yes no\n"}) {
    const auto p = ParsePolicy(std::string("# ok\n") + bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_NE(p.error().message.find("line 2"), std::string::npos) << p.error().message;
  }
}

TEST(Policy, MissingFileIsTheDefaultPolicy) {
  const auto p = LoadPolicyFile("/nonexistent/cups-wps.conf");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->rules.empty());
  EXPECT_EQ(p->watch_default, Default::kLocal);
}

TEST(Glob, CaseInsensitiveStarAndQuestionMarkWithoutBlowUp) {
  EXPECT_TRUE(GlobMatch("*fax*", "Acme LaserFAX 9"));
  EXPECT_TRUE(GlobMatch("ac?e*", "Acme"));
  EXPECT_FALSE(GlobMatch("acme", "acme2"));
  EXPECT_TRUE(GlobMatch("*", ""));
  const std::string long_a(5000, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*b", long_a));  // linear, not exponential
}

TEST(Address, PrefixMatching) {
  EXPECT_TRUE(AddressInNet("10.1.2.3", "10.1.0.0", 16));
  EXPECT_FALSE(AddressInNet("10.2.2.3", "10.1.0.0", 16));
  EXPECT_TRUE(AddressInNet("10.1.2.3", "10.1.2.0", 23));
  EXPECT_FALSE(AddressInNet("10.1.2.3", "fe80::", 10));
  EXPECT_TRUE(AddressInNet("::ffff:10.1.2.3", "10.1.2.0", 24));
  EXPECT_FALSE(AddressInNet("garbage", "10.0.0.0", 8));
  EXPECT_TRUE(IsLinkLocal("fe80::1%eth0"));
}

}  // namespace
}  // namespace cupswps::filters
