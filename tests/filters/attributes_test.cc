// SPDX-License-Identifier: Apache-2.0
#include "filters/attributes.h"

#include <gtest/gtest.h>

#include <memory>

namespace cupswps::filters {
namespace {

struct IppDeleter {
  void operator()(ipp_t* p) const { ippDelete(p); }
};
using Ipp = std::unique_ptr<ipp_t, IppDeleter>;

Ipp HonestPrinter() {
  Ipp ipp(ippNew());
  ippAddString(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-make-and-model", nullptr, "Acme TestJet 8000");
  ippAddString(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-info", nullptr, "Hall printer, 2nd floor (é)");
  static const char* const kMedia[] = {"iso_a4_210x297mm", "na_letter_8.5x11in"};
  ippAddStrings(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "media-supported", 2, nullptr, kMedia);
  ippAddString(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_MIMETYPE, "document-format-supported", nullptr, "application/pdf");
  ippAddString(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_URI, "printer-more-info", nullptr, "https://10.0.0.5/status");
  ipp_t* col = ippNew();
  ippAddString(col, IPP_TAG_ZERO, IPP_TAG_KEYWORD, "media-source", nullptr, "tray-1");
  ippAddCollection(ipp.get(), IPP_TAG_PRINTER, "media-col-database", col);
  ippDelete(col);
  return ipp;
}

TEST(Attributes, AnHonestPrinterPasses) {
  Ipp ipp = HonestPrinter();
  EXPECT_FALSE(ValidatePrinterAttributes(ipp.get()));
}

struct Case {
  const char* name;
  ipp_tag_t tag;
  std::string value;
  const char* problem;
};

class HostileAttribute : public ::testing::TestWithParam<Case> {};

TEST_P(HostileAttribute, IsRefusedNamingTheAttribute) {
  const Case& c = GetParam();
  Ipp ipp = HonestPrinter();
  ippAddString(ipp.get(), IPP_TAG_PRINTER, c.tag, c.name, nullptr, c.value.c_str());
  const auto r = ValidatePrinterAttributes(ipp.get());
  ASSERT_TRUE(r) << c.value;
  EXPECT_EQ(r->attribute, c.name);
  EXPECT_NE(r->problem.find(c.problem), std::string::npos) << r->problem;
  const std::string sentence = RefusalSentence("Evil", *r);
  EXPECT_EQ(sentence.find('\n'), std::string::npos);
  EXPECT_NE(sentence.find(c.name), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cve202447175Shapes, HostileAttribute,
    ::testing::Values(
        Case{"printer-make-and-model", IPP_TAG_TEXT, "Evil\n*FoomaticRIPCommandLine: \"touch /tmp/x\"", "line break"},
        Case{"printer-info", IPP_TAG_TEXT, "Evil\r*cupsFilter2: \"a b 0 evil\"", "line break"},
        Case{"printer-location", IPP_TAG_TEXT, "Room 1\" *OpenUI *Evil", "double quote"},
        Case{"printer-privacy-policy-uri", IPP_TAG_URI, "https://x/\"\n*Evil: 1", "line break"},
        Case{"printer-make-and-model", IPP_TAG_TEXT, "Acme *FoomaticRIPCommandLine: x", "PPD keyword"},
        Case{"printer-info", IPP_TAG_TEXT, std::string(2000, 'x'), "longer than"},
        Case{"printer-info", IPP_TAG_TEXT, "bad \xC0\xAF utf8", "UTF-8"},
        Case{"media-supported", IPP_TAG_KEYWORD, "iso_a4 *Evil", "keyword"},
        Case{"print-color-mode-supported", IPP_TAG_KEYWORD, "color:evil", "keyword"},
        Case{"document-format-supported", IPP_TAG_MIMETYPE, "image/urf 0 /bin/sh", "token"},
        Case{"printer-more-info", IPP_TAG_URI, "https://x/a b", "URI"}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      std::string n = std::to_string(param_info.index) + "_";
      for (const char c : std::string(param_info.param.name)) n.push_back(c == '-' ? '_' : c);
      return n;
    });

TEST(Attributes, NestedCollectionValuesAreChecked) {
  Ipp ipp = HonestPrinter();
  ipp_t* col = ippNew();
  ippAddString(col, IPP_TAG_ZERO, IPP_TAG_KEYWORD, "media-type", nullptr, "stationery\n*Evil: 1");
  ippAddCollection(ipp.get(), IPP_TAG_PRINTER, "media-col-ready", col);
  ippDelete(col);
  const auto r = ValidatePrinterAttributes(ipp.get());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->attribute, "media-col-ready/media-type");
}

TEST(Attributes, TooManyValuesAreRefused) {
  Ipp ipp = HonestPrinter();
  std::vector<const char*> many(5000, "a");
  ippAddStrings(ipp.get(), IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "output-bin-supported", 5000, nullptr, many.data());
  ASSERT_TRUE(ValidatePrinterAttributes(ipp.get()));
}

}  // namespace
}  // namespace cupswps::filters
