// SPDX-License-Identifier: Apache-2.0
#include "discovery/printer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "tests/discovery/fake_service_browser.h"

namespace cupswps::discovery {
namespace {

const std::string kUuid = "fba4df06-019d-30c1-59e7-8b56d39cdb42";
const std::vector<std::string> kTxt = {"ty=Acme TestJet", "rp=ipp/print", "UUID=" + kUuid,
                                       "pdl=application/pdf"};

TEST(PrinterTable, SameIdForIppAndIppsAndBothAddressFamilies) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Office", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("Office", ServiceType::kIpps, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("Office", ServiceType::kIpp, "fe80::1%eth0", 631, kTxt));
  t.Upsert(MakeAdvert("Office", ServiceType::kIpps, "fe80::1%eth0", 631, kTxt, 3));
  const auto printers = t.Printers();
  ASSERT_EQ(printers.size(), 1u);
  EXPECT_EQ(printers[0].key, "uuid:" + kUuid);
  EXPECT_EQ(printers[0].addresses, (std::vector<std::string>{"10.0.0.5", "fe80::1%eth0"}));
  EXPECT_EQ(printers[0].services, (std::vector<ServiceType>{ServiceType::kIpps, ServiceType::kIpp}));
}

TEST(PrinterTable, BestEndpointIsIppsOverIppOverOthersAndIpv4First) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kPdlDatastream, "10.0.0.5", 9100, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kIpps, "fe80::1%eth0", 443, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kIpps, "10.0.0.5", 443, kTxt));
  const auto p = t.Printers().at(0);
  ASSERT_NE(p.Best(), nullptr);
  EXPECT_EQ(p.Best()->Uri(), "ipps://10.0.0.5:443/ipp/print");
  EXPECT_EQ(p.endpoints[1].Uri(), "ipps://[fe80::1%25eth0]:443/ipp/print");
  EXPECT_EQ(p.endpoints.back().Uri(), "socket://10.0.0.5:9100");
}

TEST(PrinterTable, PortZeroPlaceholderIsNoEndpointButJoinsThePrinterByName) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  t.Upsert(MakeAdvert("P", ServiceType::kPrinter, "10.0.0.5", 0, {}));  // no UUID in its TXT
  const auto printers = t.Printers();
  ASSERT_EQ(printers.size(), 1u);
  EXPECT_EQ(printers[0].endpoints.size(), 1u);
  EXPECT_EQ(printers[0].services.back(), ServiceType::kPrinter);
}

TEST(PrinterTable, APlaceholderAloneIsNotAPrinter) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kPrinter, "10.0.0.5", 0, {}));
  EXPECT_TRUE(t.Printers().empty());
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  ASSERT_EQ(t.Printers().size(), 1u);
  EXPECT_EQ(t.Printers()[0].key, "uuid:" + std::string(kUuid));
}

TEST(PrinterTable, PrintersWithoutUuidGetAStableNameKey) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Old Laser", ServiceType::kPdlDatastream, "10.0.0.7", 9100, {"ty=Old"}));
  auto printers = t.Printers();
  ASSERT_EQ(printers.size(), 1u);
  EXPECT_EQ(printers[0].key, "name:Old Laser");
  // Same printer, new address: same key.
  t.Clear();
  t.Upsert(MakeAdvert("Old Laser", ServiceType::kPdlDatastream, "10.0.0.9", 9100, {"ty=Old"}));
  EXPECT_EQ(t.Printers().at(0).key, "name:Old Laser");
}

TEST(PrinterTable, DifferentUuidsAreDifferentPrintersEvenWithTheSameName) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Printer", ServiceType::kIpp, "10.0.0.5", 631, {"UUID=" + kUuid}));
  t.Upsert(MakeAdvert("Printer", ServiceType::kIpp, "10.0.0.6", 631,
                      {"UUID=00000000-0000-0000-0000-000000000001"}, 3));
  // The placeholder is ambiguous between them and becomes its own name-keyed entry.
  t.Upsert(MakeAdvert("Printer", ServiceType::kPrinter, "10.0.0.6", 515, {}));
  EXPECT_EQ(t.Printers().size(), 3u);
}

TEST(PrinterTable, RemovingTheLastAdvertRemovesThePrinter) {
  PrinterTable t;
  const Advert ipp = MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt);
  const Advert ipps = MakeAdvert("P", ServiceType::kIpps, "10.0.0.5", 631, kTxt);
  t.Upsert(ipp);
  t.Upsert(ipps);
  const std::vector<std::string> key = {"uuid:" + kUuid};
  EXPECT_EQ(t.Remove(ipps.id), key);
  EXPECT_EQ(t.Printers().size(), 1u);
  EXPECT_EQ(t.Remove(ipp.id), key);
  EXPECT_TRUE(t.Printers().empty());
  EXPECT_FALSE(t.Find(key[0]));
  EXPECT_TRUE(t.Remove(ipp.id).empty()) << "an unknown advert changes nothing";
}

TEST(PrinterTable, APlaceholderMovesToItsPrinterWhenTheUuidComesAndBackWhenItGoes) {
  PrinterTable t;
  const Advert placeholder = MakeAdvert("P", ServiceType::kPrinter, "10.0.0.5", 0, {});
  const Advert lpd = MakeAdvert("P", ServiceType::kPrinter, "10.0.0.5", 515, {}, 3);  // no UUID either
  const Advert ipp = MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, kTxt);
  EXPECT_EQ(t.Upsert(placeholder), (std::vector<std::string>{"name:P"}));
  EXPECT_EQ(t.Upsert(lpd), (std::vector<std::string>{"name:P"}));
  ASSERT_TRUE(t.Find("name:P"));
  EXPECT_EQ(t.Upsert(ipp), (std::vector<std::string>{"name:P", "uuid:" + kUuid}));
  EXPECT_FALSE(t.Find("name:P"));
  ASSERT_TRUE(t.Find("uuid:" + kUuid));
  EXPECT_EQ(t.Find("uuid:" + kUuid)->endpoints.size(), 2u);
  EXPECT_EQ(t.Remove(ipp.id), (std::vector<std::string>{"name:P", "uuid:" + kUuid}));
  ASSERT_TRUE(t.Find("name:P"));
  EXPECT_EQ(t.Find("name:P")->Best()->Uri(), "lpd://10.0.0.5:515/");
}

// What a user and the rest of the program see of a printer, field by field.
std::string Describe(const Printer& p) {
  std::string d = p.key + "|" + p.uuid + "|" + p.name + "|" + p.host_name + "|" + p.info.make_and_model + "|" +
                  p.info.location + "|" + p.info.admin_url + "|" + p.info.uuid + "|";
  for (const Endpoint& e : p.endpoints) d += e.Uri() + "@" + std::to_string(e.interface) + " ";
  for (const ServiceType s : p.services) d += std::string(ShortName(s)) + " ";
  for (const std::string& a : p.addresses) d += a + " ";
  for (const auto& [k, v] : p.txt) d += k + "=" + v + " ";
  return d;
}

std::map<std::string, std::string> View(const PrinterTable& t) {
  std::map<std::string, std::string> out;
  for (const Printer& p : t.Printers()) out[p.key] = Describe(p);
  return out;
}

// Random adverts over a few names, UUIDs, types and interfaces (some with a
// UUID, some without, some placeholders): after every change, the table's
// view is the one a fresh table makes of the same adverts, and the keys it
// returned name every printer that changed.
TEST(PrinterTable, UpsertAndRemoveKeepTheViewAFreshTableMakesAndNameEveryChange) {
  std::mt19937 random(18);
  const std::vector<std::string> names = {"Office", "office", "Hall", "Lab \x01"};
  const std::vector<std::string> uuids = {"", "", kUuid, "00000000-0000-0000-0000-000000000001"};
  PrinterTable t;
  std::map<AdvertId, Advert> live;
  for (int step = 0; step < 3000; ++step) {
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    Advert a = MakeAdvert(names[pick(names.size())], kAllServiceTypes[pick(4)],
                          "10.0.0." + std::to_string(1 + pick(3)), pick(4) == 0 ? 0 : 631,
                          {"UUID=" + uuids[pick(uuids.size())], "ty=Model " + std::to_string(pick(3))},
                          2 + static_cast<int>(pick(2)));
    const auto before = View(t);
    std::vector<std::string> changed;
    if (pick(3) == 0 && !live.empty()) {
      auto it = std::next(live.begin(), static_cast<long>(pick(live.size())));
      changed = t.Remove(it->first);
      live.erase(it);
    } else {
      live[a.id] = a;
      changed = t.Upsert(std::move(a));
    }
    const auto after = View(t);
    PrinterTable fresh;
    for (const auto& [id, advert] : live) fresh.Upsert(advert);
    ASSERT_EQ(after, View(fresh)) << "step " << step;
    std::set<std::string> keys;
    for (const auto& [k, v] : before) keys.insert(k);
    for (const auto& [k, v] : after) keys.insert(k);
    for (const std::string& k : keys) {
      const bool same = before.count(k) == after.count(k) && (!before.count(k) || before.at(k) == after.at(k));
      if (!same) {
        EXPECT_NE(std::find(changed.begin(), changed.end(), k), changed.end()) << "step " << step << ": " << k;
      }
      const auto found = t.Find(k);
      EXPECT_EQ(found ? Describe(*found) : "", after.count(k) ? after.at(k) : "");
    }
  }
}

TEST(PrinterTable, NamesWithControlCharactersAreCleaned) {
  PrinterTable t;
  t.Upsert(MakeAdvert("Evil\nName\x1b[31m", ServiceType::kIpp, "10.0.0.5", 631, kTxt));
  EXPECT_EQ(t.Printers().at(0).name, "Evil Name [31m");
}

TEST(PrinterTable, AdvertWhoseNameIsOnlyControlCharactersIsDropped) {
  PrinterTable t;
  t.Upsert(MakeAdvert("\x01\x02\n", ServiceType::kIpp, "10.0.0.5", 631, {}));
  EXPECT_TRUE(t.Printers().empty());
}

TEST(PrinterTable, MergedFieldsPreferTheIppsAdvert) {
  PrinterTable t;
  t.Upsert(MakeAdvert("P", ServiceType::kIpp, "10.0.0.5", 631, {"UUID=" + kUuid, "ty=From IPP", "note=Hall"}));
  t.Upsert(MakeAdvert("P", ServiceType::kIpps, "10.0.0.5", 631, {"UUID=" + kUuid, "ty=From IPPS"}));
  const auto p = t.Printers().at(0);
  EXPECT_EQ(p.info.make_and_model, "From IPPS");
  EXPECT_EQ(p.info.location, "Hall");  // filled from the next advert
}

}  // namespace
}  // namespace cupswps::discovery
