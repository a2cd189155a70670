// SPDX-License-Identifier: Apache-2.0
// Pin files and key pins: the format round-trips, anything else is refused,
// and the key pin is RFC 7469's pin-sha256 of the certificate's key.
#include "queues/identity.h"

#include <glib.h>
#include <gtest/gtest.h>

#include "queues/key_pin.h"

namespace cupswps::queues {
namespace {

constexpr char kUuidKey[] = "uuid:11111111-2222-3333-4444-555555555555";
constexpr char kPin[] = "sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0=";

// An EC P-256 self-signed certificate made with openssl; its pin, from
//   openssl x509 -pubkey -noout | openssl pkey -pubin -outform der |
//   openssl dgst -sha256 -binary | base64
// is kPin.
constexpr char kCertificateBase64[] =
    "MIIBhDCCASmgAwIBAgIUc4dpxzPwrFkRsbwGhRI4PsroWLswCgYIKoZIzj0EAwIwFzEVMBMGA1UEAwwMdGVzdC1wcmludGVyMB4XDTI2"
    "MTEyNjEwNDk0NFoXDTM2MTEyMzEwNDk0NFowFzEVMBMGA1UEAwwMdGVzdC1wcmludGVyMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
    "KzYcNlf/R8rnXCEjyVussBSgr+VqIwg4uByoDw1vvosrdBCiQ2Pj0f/szkVhJRZ5BPfgYCOf4wP53kj5/WhlpqNTMFEwHQYDVR0OBBYE"
    "FLzggVzd2uVONmmVMCwh/FwJMWswMB8GA1UdIwQYMBaAFLzggVzd2uVONmmVMCwh/FwJMWswMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI"
    "zj0EAwIDSQAwRgIhAMMsOBqAufVC+S6QSumUCbI3HnbkJwOpLyL1hMiZkjdkAiEA546nm7YKSc4/bKL/SrVTy/rHFexDTvF7w74KbohB31Y=";

Pin TlsPin() {
  return Pin{kUuidKey, {true, kPin}, "Office Jet", "ipps://10.0.0.5:631/ipp/print", 1795689914};
}

TEST(KeyPin, IsSha256OfTheSubjectPublicKeyInfoInBase64) {
  gsize size = 0;
  guchar* der = g_base64_decode(kCertificateBase64, &size);
  const auto pin = KeyPinOfCertificate(der, size);
  ASSERT_TRUE(pin.ok()) << pin.error().detail;
  EXPECT_EQ(*pin, kPin);
  EXPECT_FALSE(KeyPinOfCertificate(der, size / 2).ok()) << "a truncated certificate has no pin";
  g_free(der);
  EXPECT_FALSE(KeyPinOfCertificate("not a certificate", 17).ok());
  EXPECT_FALSE(KeyPinOfCertificate(nullptr, 0).ok());
}

TEST(KeyPin, ShapeIsSha256AndTheBase64Of32Bytes) {
  EXPECT_TRUE(IsKeyPin(kPin));
  EXPECT_FALSE(IsKeyPin("sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN1="));  // stray bits in the last character
  EXPECT_FALSE(IsKeyPin("sha1/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0="));
  EXPECT_FALSE(IsKeyPin("sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0KeiPBJEaN0"));
  EXPECT_FALSE(IsKeyPin("sha256/Svp6Ib3zG1/ZpCuak1Y2HQlp7qnXOo5q0Kei\nJEaN0="));
}

TEST(PinFile, RoundTripsWithAndWithoutTls) {
  const Pin tls = TlsPin();
  const auto back = ParsePin(FormatPin(tls));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->printer, tls.printer);
  EXPECT_EQ(back->identity, tls.identity);
  EXPECT_EQ(back->name, tls.name);
  EXPECT_EQ(back->uri, tls.uri);
  EXPECT_EQ(back->pinned_at, tls.pinned_at);

  const Pin plain{"name:Old Jet", {false, ""}, "Old Jet", "ipp://10.0.0.6:631/ipp/print", 5};
  const auto plain_back = ParsePin(FormatPin(plain));
  ASSERT_TRUE(plain_back.ok()) << plain_back.error().message;
  EXPECT_FALSE(plain_back->identity.tls);
  EXPECT_EQ(plain_back->printer, "name:Old Jet");
  EXPECT_EQ(IdentityWord(plain_back->identity), "unverified");
  EXPECT_EQ(IdentityWord(back->identity), "tls");
}

TEST(PinFile, RefusesWhatFormatPinWouldNotWrite) {
  const std::string good = FormatPin(TlsPin());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const struct {
    std::string text;
    const char* why;
  } cases[] = {
      {with("tls yes", "tls no"), "a key without tls"},
      {with("key sha256/", "key sha1/"), "a malformed key"},
      {with("key " + std::string(kPin) + "\n", ""), "tls without a key"},
      {with("printer uuid:", "printer uuid:x"), "a malformed uuid"},
      {with("printer uuid:11111111", "printer uuid:AAAAAAAA"), "an upper-case uuid"},
      {with("\nprinter ", "\nprinter  "), "a printer key with a leading space"},
      {with("name Office Jet", "name Office\xE2\x80\xAE Jet"), "a name with a bidi override"},
      {with("pinned-at 1795689914", "pinned-at -1"), "a negative time"},
      {with("pinned-at 1795689914", "pinned-at 12x"), "a malformed time"},
      {good + "tls yes\n", "a repeated field"},
      {good + "colour blue\n", "an unknown field"},
      {good + "name\n", "a line without a value"},
      {with("uri ipps", "uri \x01ipps"), "a control character"},
      {good + std::string(5000, '#'), "a file over 4 KiB"},
      {"", "an empty file"},
  };
  for (const auto& c : cases) EXPECT_FALSE(ParsePin(c.text).ok()) << c.why;
}

TEST(PinFile, PrinterKeyFollowsTheWpsUri) {
  EXPECT_EQ(PrinterKeyOf(discovery::WpsUri{"11111111-2222-3333-4444-555555555555", ""}), kUuidKey);
  EXPECT_EQ(PrinterKeyOf(discovery::WpsUri{"", "Old Jet"}), "name:Old Jet");
}

}  // namespace
}  // namespace cupswps::queues
