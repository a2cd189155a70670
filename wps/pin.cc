// SPDX-License-Identifier: Apache-2.0
// PIN rules; see pin.h.
#include "wps/pin.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "wps/secret.h"

namespace cupswps::wps {
namespace {

Error PinError(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), ""};
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

int PinChecksum(std::uint32_t first_seven) {
  // WSC 2.0 section 7.4.3: weights 3 and 1 from the most significant digit.
  std::uint32_t accum = 0;
  std::uint32_t pin = first_seven * 10;
  accum += 3 * ((pin / 10000000) % 10);
  accum += 1 * ((pin / 1000000) % 10);
  accum += 3 * ((pin / 100000) % 10);
  accum += 1 * ((pin / 10000) % 10);
  accum += 3 * ((pin / 1000) % 10);
  accum += 1 * ((pin / 100) % 10);
  accum += 3 * ((pin / 10) % 10);
  return static_cast<int>((10 - accum % 10) % 10);
}

Pin::~Pin() { Wipe(digits_.data(), digits_.size()); }

Pin::Pin(Pin&& other) noexcept : digits_(other.digits_), size_(other.size_) {
  Wipe(other.digits_.data(), other.digits_.size());
  other.size_ = 0;
}

Pin& Pin::operator=(Pin&& other) noexcept {
  if (this != &other) {
    digits_ = other.digits_;
    size_ = other.size_;
    Wipe(other.digits_.data(), other.digits_.size());
    other.size_ = 0;
  }
  return *this;
}

std::size_t Pin::Grouped(char* out) const {
  if (size_ == 4) {
    std::memcpy(out, digits_.data(), 4);
    out[4] = '\0';
    return 4;
  }
  std::memcpy(out, digits_.data(), 4);
  out[4] = '-';
  std::memcpy(out + 5, digits_.data() + 4, size_ - 4);
  out[5 + size_ - 4] = '\0';
  return size_ + 1;
}

Result<Pin> ParsePin(std::string_view typed) {
  while (!typed.empty() && IsSpace(typed.front())) typed.remove_prefix(1);
  while (!typed.empty() && IsSpace(typed.back())) typed.remove_suffix(1);
  Pin pin;
  bool separator_seen = false;
  for (std::size_t i = 0; i < typed.size(); ++i) {
    const char c = typed[i];
    if (c >= '0' && c <= '9') {
      if (pin.size_ == pin.digits_.size()) return PinError("A WPS PIN has eight digits (or four); this one is longer.");
      pin.digits_[pin.size_++] = c;
    } else if ((c == '-' || c == ' ') && pin.size_ == 4 && !separator_seen) {
      separator_seen = true;  // "1234-5670" and "1234 5670", as printed on labels
    } else {
      return PinError("A WPS PIN is digits only: eight (or four), the halves perhaps split by a dash or a space.");
    }
  }
  if (pin.size_ == 4 && !separator_seen) return pin;
  if (pin.size_ != 8) return PinError("A WPS PIN has eight digits (or four).");
  std::uint32_t first_seven = 0;
  for (std::size_t i = 0; i < 7; ++i) first_seven = first_seven * 10 + static_cast<std::uint32_t>(pin.digits_[i] - '0');
  if (PinChecksum(first_seven) != pin.digits_[7] - '0') {
    return PinError("That PIN's last digit does not match its checksum; check it for a typo.");
  }
  return pin;
}

Pin PinFromRandom(std::uint32_t random_seven) {
  Pin pin;
  std::uint32_t v = random_seven % 10000000;
  for (int i = 6; i >= 0; --i) {
    pin.digits_[static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  pin.digits_[7] = static_cast<char>('0' + PinChecksum(random_seven % 10000000));
  pin.size_ = 8;
  return pin;
}

Result<Pin> GeneratePin() {
  // Rejection sampling: 2^32 is not a multiple of 10^7, so values from the
  // top partial range would make some PINs likelier than others.
  constexpr std::uint32_t kRange = 10000000;
  constexpr std::uint32_t kLimit = UINT32_MAX - (UINT32_MAX % kRange);
  for (;;) {
    std::uint32_t r = 0;
    const ssize_t n = getrandom(&r, sizeof r, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n != static_cast<ssize_t>(sizeof r)) {
      return Error{ErrorCode::kInternal, "Cannot generate a PIN: the system's random source failed.",
                   std::string("getrandom: ") + std::strerror(errno)};
    }
    if (r >= kLimit) continue;
    Pin pin = PinFromRandom(r % kRange);
    Wipe(&r, sizeof r);
    return pin;
  }
}

}  // namespace cupswps::wps
