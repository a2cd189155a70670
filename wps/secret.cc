// SPDX-License-Identifier: Apache-2.0
// Wiping secrets; see secret.h.
#include "wps/secret.h"

#include <string.h>

namespace cupswps::wps {

void Wipe(void* data, std::size_t size) noexcept {
  if (data != nullptr && size > 0) explicit_bzero(data, size);
}

void Wipe(std::string& s) noexcept {
  // The bytes past size() may still hold an older, longer value.
  s.resize(s.capacity());
  Wipe(s.data(), s.size());
  s.clear();
}

}  // namespace cupswps::wps
