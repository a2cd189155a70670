// SPDX-License-Identifier: Apache-2.0
// WPS device passwords (PINs): the rules for what a PIN is, parsing what a
// person types, and generating one. Pure except GeneratePin (getrandom).
//
// A PIN is 8 digits whose last digit is a checksum over the first seven
// (weights 3,1,3,1,...), or 4 digits without a checksum (WPS 2.0, for devices
// with small displays; hostapd and wpa_supplicant 2.x accept both).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace cupswps::wps {

// The checksum digit for the first seven digits of an 8-digit PIN.
int PinChecksum(std::uint32_t first_seven);

class Pin {
 public:
  Pin() = default;
  ~Pin();
  Pin(Pin&& other) noexcept;
  Pin& operator=(Pin&& other) noexcept;
  Pin(const Pin&) = delete;
  Pin& operator=(const Pin&) = delete;

  // The digits only, e.g. "12345670"; valid while this Pin lives.
  std::string_view digits() const { return {digits_.data(), size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Writes the PIN as people read it ("1234-5670", or "1234") to `out`, which
  // must hold 10 bytes; returns the length. The caller wipes `out`.
  std::size_t Grouped(char* out) const;

 private:
  friend Result<Pin> ParsePin(std::string_view typed);
  friend Pin PinFromRandom(std::uint32_t random_seven);
  std::array<char, 8> digits_{};
  std::size_t size_ = 0;
};

// Accepts what people type: "12345670", "1234-5670", "1234 5670", "1234",
// with surrounding white space. Refuses anything else, and an 8-digit PIN
// with a wrong checksum, with a sentence that never repeats the input.
Result<Pin> ParsePin(std::string_view typed);

// An 8-digit PIN from seven random digits (`random_seven` < 10^7).
Pin PinFromRandom(std::uint32_t random_seven);

// An 8-digit PIN from the kernel's cryptographic random source (getrandom),
// uniformly distributed over the 10^7 valid PINs.
Result<Pin> GeneratePin();

}  // namespace cupswps::wps
