// SPDX-License-Identifier: Apache-2.0
// What `cups-wps trust` pins: the key the printer answering now shows, never
// a guess between two hosts, never plain IPP for a printer that offers IPPS.
#include "backend/cli/trust_plan.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::backend {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

constexpr char kKey[] = "sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0=";
constexpr char kOther[] = "sha256/AAAAIb3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0=";

struct Advert {
  ServiceType type;
  std::string address;
  std::string host;
};

discovery::Printer Answering(const std::vector<Advert>& adverts) {
  discovery::PrinterTable t;
  int i = 0;
  for (const Advert& a : adverts) {
    discovery::Advert ad = MakeAdvert("Office " + std::to_string(i++), a.type, a.address, 631,
                                      {"UUID=11111111-2222-3333-4444-555555555555", "rp=ipp/print"});
    ad.host_name = a.host;
    t.Upsert(ad);
  }
  return t.Printers().at(0);
}

std::function<Result<std::string>(const discovery::Endpoint&)> Keys(std::map<std::string, std::string> keys) {
  return [keys](const discovery::Endpoint& e) -> Result<std::string> {
    const auto it = keys.find(e.address);
    if (it == keys.end()) return Error{ErrorCode::kNotFound, "Cannot reach the printer.", ""};
    return it->second;
  };
}

TEST(TrustPlan, PinsTheKeyOfTheOnePrinterAnswering) {
  const auto p = Answering({{ServiceType::kIpps, "10.0.0.5", "jet.local"},
                            {ServiceType::kIpps, "fe80::5%eth0", "jet.local"},
                            {ServiceType::kIpp, "10.0.0.5", "jet.local"}});
  const auto answers = ReadAnswers(p, Keys({{"10.0.0.5", kKey}, {"fe80::5%eth0", kOther}}));
  ASSERT_EQ(answers.size(), 3u);
  const auto plan = PlanTrust(answers, "");
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->identity, (queues::PrinterIdentity{true, kKey}));
  EXPECT_EQ(plan->endpoint->address, "10.0.0.5");
  EXPECT_NE(answers[2].Line().find("plain IPP, unverified"), std::string::npos) << answers[2].Line();
}

TEST(TrustPlan, TwoHostsAnsweringNeedAnAddress) {
  const auto p = Answering({{ServiceType::kIpps, "10.0.0.5", "jet.local"},
                            {ServiceType::kIpps, "10.0.0.9", "jet.local"}});  // a forged host name, too
  const auto answers = ReadAnswers(p, Keys({{"10.0.0.5", kKey}, {"10.0.0.9", kOther}}));
  const auto refused = PlanTrust(answers, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("--address"), std::string::npos);
  const auto chosen = PlanTrust(answers, "10.0.0.9");
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->identity.key_pin, kOther);
}

TEST(TrustPlan, APrinterWithoutIppsIsPinnedUnverifiedButAnUnreadableKeyIsNot) {
  const auto plain = Answering({{ServiceType::kIpp, "10.0.0.5", "jet.local"}});
  const auto pinned = PlanTrust(ReadAnswers(plain, Keys({})), "");
  ASSERT_TRUE(pinned.ok());
  EXPECT_FALSE(pinned->identity.tls);

  const auto asleep =
      Answering({{ServiceType::kIpps, "10.0.0.5", "jet.local"}, {ServiceType::kIpp, "10.0.0.5", "jet.local"}});
  const auto answers = ReadAnswers(asleep, Keys({}));
  const auto refused = PlanTrust(answers, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_NE(answers[0].Line().find("Cannot reach"), std::string::npos);
}

}  // namespace
}  // namespace cupswps::backend
