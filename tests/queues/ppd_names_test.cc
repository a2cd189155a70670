// SPDX-License-Identifier: Apache-2.0
// The queue's model in its PPD: the printer's make and model, quotable, in
// place of libcups' names; everything else in the file as it was.
#include "queues/ppd_names.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace cupswps::queues {
namespace {

// As libcups writes them (CUPS 2.4.2-3+deb12u10 and later: "Printer").
constexpr char kPpd[] =
    "*PPD-Adobe: \"4.3\"\n"
    "*Manufacturer: \"Acme\"\n"
    "*ModelName: \"Printer\"\n"
    "*Product: \"(Printer)\"\n"
    "*NickName: \"Printer - IPP Everywhere\"\n"
    "*ShortNickName: \"Printer - IPP Everywhere\"\n"
    "*DefaultPageSize: A4\n";

class PpdFile : public ::testing::Test {
 protected:
  PpdFile() {
    char name[] = "/tmp/cups-wps-ppd-names-XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_) << kPpd;
  }
  ~PpdFile() override { unlink(path_.c_str()); }
  std::string Text() const {
    std::ostringstream s;
    s << std::ifstream(path_).rdbuf();
    return s.str();
  }
  std::string path_;
};

constexpr char kUuid[] = "fba4df06-019d-30c1-59e7-8b56d39cdb42";

TEST_F(PpdFile, TheModelIsThePrintersMakeAndModelAndThePpdNamesItsPrinter) {
  ASSERT_TRUE(NamePpd(path_, "Acme Twin 9000", "FBA4DF06-019D-30C1-59E7-8B56D39CDB42").ok());
  EXPECT_EQ(Text(),
            "*PPD-Adobe: \"4.3\"\n"
            "*cupswpsPrinterUUID: \"fba4df06-019d-30c1-59e7-8b56d39cdb42\"\n"
            "*Manufacturer: \"Acme\"\n"
            "*ModelName: \"Acme Twin 9000\"\n"
            "*Product: \"(Printer)\"\n"
            "*NickName: \"Acme Twin 9000, driverless, cups-wps\"\n"
            "*ShortNickName: \"Acme Twin 9000\"\n"
            "*DefaultPageSize: A4\n");
}

TEST_F(PpdFile, WhatAPpdCannotQuoteIsLeftOutAndTheShortNameIsShort) {
  ASSERT_TRUE(
      NamePpd(path_, "Evil\" \n*OpenUI *Boom <41> Jet  \xc3\xa9 Extra Long Model Name Number 12345", "").ok());
  const std::string text = Text();
  EXPECT_NE(text.find("*ModelName: \"Evil *OpenUI *Boom 41 Jet Extra Long Model Name Number 12345\"\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("\n*OpenUI"), std::string::npos) << "no new PPD line from a printer's string";
  EXPECT_NE(text.find("*ShortNickName: \"Evil *OpenUI *Boom 41 Jet Extra\"\n"), std::string::npos) << text;
}

TEST_F(PpdFile, NothingQuotableLeavesTheNamesAsTheyWere) {
  ASSERT_TRUE(NamePpd(path_, "\xe6\x89\x93\xe5\x8d\xb0\xe6\x9c\xba", "").ok());
  EXPECT_EQ(Text(), kPpd);
  ASSERT_TRUE(NamePpd(path_, "\xe6\x89\x93", kUuid).ok());
  EXPECT_EQ(Text(), std::string(kPpd).insert(18, "*cupswpsPrinterUUID: \"" + std::string(kUuid) + "\"\n"));
  EXPECT_EQ(PpdQuotable("  a  b  ", 10), "a b");
  EXPECT_EQ(PpdQuotable("abc def", 4), "abc");
}

TEST_F(PpdFile, NamedTwiceItNamesOnePrinter) {
  ASSERT_TRUE(NamePpd(path_, "Acme Twin 9000", "00000000-0000-0000-0000-00000000000a").ok());
  ASSERT_TRUE(NamePpd(path_, "Acme Twin 9000", kUuid).ok());
  EXPECT_EQ(PpdPrinterUuid(Text()), kUuid);
  EXPECT_EQ(Text().find("0000000a"), std::string::npos) << Text();
}

TEST(PpdPrinterUuid, OnlyAUuidIsTakenFromTheSchedulersCopy) {
  EXPECT_EQ(PpdPrinterUuid(kPpd), "") << "libcups' own PPD, or an older cups-wps's";
  EXPECT_EQ(PpdPrinterUuid("*PPD-Adobe: \"4.3\"\n*cupswpsPrinterUUID: \"FBA4DF06-019D-30C1-59E7-8B56D39CDB42\"\n"),
            kUuid);
  EXPECT_EQ(PpdPrinterUuid("*cupswpsPrinterUUID: \"fba4df06-019d-30c1-59e7-8b56d39cdb42"), "") << "unterminated";
  EXPECT_EQ(PpdPrinterUuid("*cupswpsPrinterUUID: \"../../etc/passwd\"\n"), "");
  EXPECT_EQ(PpdPrinterUuid("*cupswpsPrinterUUIDx: \"fba4df06-019d-30c1-59e7-8b56d39cdb42\""), "");
  EXPECT_EQ(PpdPrinterUuid(""), "");
}

}  // namespace
}  // namespace cupswps::queues
