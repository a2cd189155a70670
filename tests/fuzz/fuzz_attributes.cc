// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a printer's Get-Printer-Attributes response (IPP wire
// format) through the validator that guards cupsd.
#include <cups/ipp.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "filters/attributes.h"

namespace {

struct Reader {
  const uint8_t* data;
  size_t size;
  size_t pos;
};

ssize_t ReadCb(void* ctx, ipp_uchar_t* buffer, size_t bytes) {
  auto* r = static_cast<Reader*>(ctx);
  const size_t n = bytes < r->size - r->pos ? bytes : r->size - r->pos;
  std::memcpy(buffer, r->data + r->pos, n);
  r->pos += n;
  return static_cast<ssize_t>(n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader reader{data, size, 0};
  ipp_t* ipp = ippNew();
  if (ippReadIO(&reader, ReadCb, 1, nullptr, ipp) == IPP_STATE_DATA) {
    if (auto refusal = cupswps::filters::ValidatePrinterAttributes(ipp)) {
      const std::string s = cupswps::filters::RefusalSentence("fuzz", *refusal);
      if (s.find('\n') != std::string::npos) __builtin_trap();  // the sentence is one line
    }
  }
  ippDelete(ipp);
  return 0;
}
