// SPDX-License-Identifier: Apache-2.0
// Which endpoint a job may go to: only one that presents the pinned key, an
// impostor answering first or not; never plain IPP for a printer pinned
// with IPPS.
#include "backend/endpoint_choice.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::backend {
namespace {

using discovery::MakeAdvert;
using discovery::ServiceType;

constexpr char kUuid[] = "UUID=11111111-2222-3333-4444-555555555555";
constexpr char kReal[] = "sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0=";
constexpr char kFake[] = "sha256/AAAAIb3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0=";

queues::Pin TlsPin() {
  return queues::Pin{"uuid:11111111-2222-3333-4444-555555555555", {true, kReal}, "Office", "", 0};
}

// Adverts of one UUID: (service type, address) each.
discovery::Printer Answering(const std::vector<std::pair<ServiceType, std::string>>& adverts) {
  discovery::PrinterTable t;
  int i = 0;
  for (const auto& [type, address] : adverts) {
    t.Upsert(MakeAdvert("Office " + std::to_string(i++), type, address, 631, {kUuid, "rp=ipp/print"}));
  }
  return t.Printers().at(0);
}

// What each address presents; an address not in the table cannot be reached.
struct Keys {
  std::map<std::string, std::string> by_address;
  std::vector<std::string> asked;
  Result<std::string> operator()(const discovery::Endpoint& e) {
    asked.push_back(e.Uri());
    const auto it = by_address.find(e.address);
    if (it == by_address.end()) return Error{ErrorCode::kNotFound, "unreachable", ""};
    return it->second;
  }
};

TEST(EndpointChoice, TakesTheEndpointWithThePinnedKeyEvenWhenAnImpostorAnswersFirst) {
  const auto printer = Answering({{ServiceType::kIpps, "10.0.0.5"}, {ServiceType::kIpps, "10.0.0.9"}});
  Keys keys{{{"10.0.0.5", kFake}, {"10.0.0.9", kReal}}, {}};
  const EndpointChoice c = ChooseEndpoint(TlsPin(), printer, std::ref(keys));
  ASSERT_EQ(c.kind, EndpointChoice::Kind::kVerified);
  EXPECT_EQ(c.endpoint->address, "10.0.0.9");
  EXPECT_EQ(keys.asked.size(), 2u);
  EXPECT_NE(c.seen[0].find("another key"), std::string::npos) << c.seen[0];
}

TEST(EndpointChoice, OnlyAnotherKeyIsAMismatch) {
  Keys keys{{{"10.0.0.5", kFake}}, {}};
  const EndpointChoice c =
      ChooseEndpoint(TlsPin(), Answering({{ServiceType::kIpps, "10.0.0.5"}, {ServiceType::kIpp, "10.0.0.5"}}),
                     std::ref(keys));
  EXPECT_EQ(c.kind, EndpointChoice::Kind::kMismatch);
  EXPECT_EQ(c.endpoint, nullptr);
}

TEST(EndpointChoice, APrinterPinnedWithIppsNeverGetsPlainIpp) {
  Keys keys;
  const EndpointChoice c = ChooseEndpoint(TlsPin(), Answering({{ServiceType::kIpp, "10.0.0.5"}}), std::ref(keys));
  EXPECT_EQ(c.kind, EndpointChoice::Kind::kMismatch);
  EXPECT_EQ(c.endpoint, nullptr);
  EXPECT_TRUE(keys.asked.empty());
  EXPECT_NE(c.seen.at(0).find("only plain IPP"), std::string::npos);
}

TEST(EndpointChoice, UnreachableIppsIsNotFoundNotAMismatch) {
  Keys keys;
  const EndpointChoice c =
      ChooseEndpoint(TlsPin(), Answering({{ServiceType::kIpps, "10.0.0.5"}, {ServiceType::kIpp, "10.0.0.5"}}),
                     std::ref(keys));
  EXPECT_EQ(c.kind, EndpointChoice::Kind::kNotFound);
}

TEST(EndpointChoice, UnpinnedAndUnverifiedPrintersGoByUuidAsBefore) {
  const auto printer = Answering({{ServiceType::kIpps, "10.0.0.5"}, {ServiceType::kIpp, "10.0.0.5"}});
  Keys keys;
  const EndpointChoice none = ChooseEndpoint(std::nullopt, printer, std::ref(keys));
  EXPECT_EQ(none.kind, EndpointChoice::Kind::kUnverified);
  EXPECT_EQ(none.endpoint->type, ServiceType::kIpps);
  queues::Pin plain = TlsPin();
  plain.identity = {false, ""};
  const auto ipp_only = Answering({{ServiceType::kIpp, "10.0.0.5"}});
  const EndpointChoice unverified = ChooseEndpoint(plain, ipp_only, std::ref(keys));
  EXPECT_EQ(unverified.kind, EndpointChoice::Kind::kUnverified);
  EXPECT_EQ(unverified.endpoint->type, ServiceType::kIpp);
  EXPECT_TRUE(keys.asked.empty()) << "nothing to check";
}

}  // namespace
}  // namespace cupswps::backend
