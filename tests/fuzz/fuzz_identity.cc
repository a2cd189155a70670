// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the two inputs of identity pinning. The same bytes go
// through the pin-file parser (whatever it accepts must round-trip through
// FormatPin) and, as a DER certificate, through KeyPinOfCertificate (a
// certificate comes from the printer, untrusted).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "queues/identity.h"
#include "queues/key_pin.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cupswps::queues;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto pin = ParsePin(text)) {
    const std::string once = FormatPin(*pin);
    auto again = ParsePin(once);
    if (!again || FormatPin(*again) != once) __builtin_trap();
  }
  if (auto key = KeyPinOfCertificate(data, size); key && !IsKeyPin(*key)) __builtin_trap();
  return 0;
}
