// SPDX-License-Identifier: Apache-2.0
// A minimal JSON writer for --json output. Strings are escaped per RFC 8259;
// callers pass valid UTF-8 (everything from the network is cleaned first).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cupswps::json {

std::string Quote(std::string_view s);

// Builds one object or array; values are appended in order.
class Writer {
 public:
  Writer& BeginObject();
  Writer& EndObject();
  Writer& BeginArray();
  Writer& EndArray();
  Writer& Key(std::string_view key);
  Writer& String(std::string_view value);
  Writer& StringOrNull(std::string_view value);  // "" -> null
  Writer& Int(std::int64_t value);
  Writer& Bool(bool value);
  Writer& Null();
  Writer& StringArray(const std::vector<std::string>& values);

  const std::string& str() const { return out_; }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // one entry per open container
  bool after_key_ = false;
};

}  // namespace cupswps::json
