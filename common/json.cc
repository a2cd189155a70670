// SPDX-License-Identifier: Apache-2.0
// Minimal JSON writer; see json.h.
#include "common/json.h"

#include <cstdio>

namespace cupswps::json {

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out.append(buf);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

void Writer::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

Writer& Writer::BeginObject() {
  Separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}
Writer& Writer::EndObject() {
  out_.push_back('}');
  first_.pop_back();
  return *this;
}
Writer& Writer::BeginArray() {
  Separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}
Writer& Writer::EndArray() {
  out_.push_back(']');
  first_.pop_back();
  return *this;
}
Writer& Writer::Key(std::string_view key) {
  Separate();
  out_.append(Quote(key)).push_back(':');
  after_key_ = true;
  return *this;
}
Writer& Writer::String(std::string_view value) {
  Separate();
  out_.append(Quote(value));
  return *this;
}
Writer& Writer::StringOrNull(std::string_view value) {
  return value.empty() ? Null() : String(value);
}
Writer& Writer::Int(std::int64_t value) {
  Separate();
  out_.append(std::to_string(value));
  return *this;
}
Writer& Writer::Bool(bool value) {
  Separate();
  out_.append(value ? "true" : "false");
  return *this;
}
Writer& Writer::Null() {
  Separate();
  out_.append("null");
  return *this;
}
Writer& Writer::StringArray(const std::vector<std::string>& values) {
  BeginArray();
  for (const auto& v : values) String(v);
  return EndArray();
}

}  // namespace cupswps::json
