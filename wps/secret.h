// SPDX-License-Identifier: Apache-2.0
// Handling of secrets (PINs, network keys): buffers that are wiped when they
// are dropped, so a secret does not linger in freed memory or a core dump.
// Never pass a secret to log::, to an Error, or to a process's argv.
#pragma once

#include <cstddef>
#include <string>

namespace cupswps::wps {

// Overwrites `size` bytes at `data` in a way the compiler may not elide.
void Wipe(void* data, std::size_t size) noexcept;
void Wipe(std::string& s) noexcept;  // wipes the whole capacity, then clears

// A std::string for secret text: wiped on destruction. Move-only; its
// capacity is reserved up front so that appending never leaves a stale copy
// behind in a reallocated buffer (for inputs up to kCapacity bytes).
class SecretString {
 public:
  static constexpr std::size_t kCapacity = 256;
  SecretString() { s_.reserve(kCapacity); }
  ~SecretString() { Wipe(s_); }
  SecretString(SecretString&& other) noexcept : s_(std::move(other.s_)) { Wipe(other.s_); }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      Wipe(s_);
      s_ = std::move(other.s_);
      Wipe(other.s_);
    }
    return *this;
  }
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;

  std::string& str() { return s_; }
  const std::string& str() const { return s_; }

 private:
  std::string s_;
};

}  // namespace cupswps::wps
