// SPDX-License-Identifier: Apache-2.0
// IPP attribute validation; see attributes.h.
#include "filters/attributes.h"

#include "common/text.h"

namespace cupswps::filters {
namespace {

constexpr std::size_t kMaxShortBytes = 255;   // keyword, mimeMediaType, charset, language, uriScheme
constexpr std::size_t kMaxLongBytes = 1023;   // text, name, uri
constexpr int kMaxValues = 2000;
constexpr int kMaxAttributes = 2000;
constexpr int kMaxDepth = 4;

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "*Word:" anywhere: the shape of a PPD main keyword line.
bool HasPpdKeyword(std::string_view v) {
  for (std::size_t i = 0; i + 2 < v.size(); ++i) {
    if (v[i] != '*' || !IsAlnum(v[i + 1])) continue;
    std::size_t j = i + 1;
    while (j < v.size() && IsAlnum(v[j])) ++j;
    if (j < v.size() && v[j] == ':') return true;
  }
  return false;
}

bool AllOf(std::string_view v, const char* extra) {
  for (const char c : v) {
    if (!IsAlnum(c) && std::string_view(extra).find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool IsString(ipp_tag_t t) {
  switch (t) {
    case IPP_TAG_TEXT: case IPP_TAG_NAME: case IPP_TAG_TEXTLANG: case IPP_TAG_NAMELANG: case IPP_TAG_KEYWORD:
    case IPP_TAG_URI: case IPP_TAG_URISCHEME: case IPP_TAG_CHARSET: case IPP_TAG_LANGUAGE:
    case IPP_TAG_MIMETYPE:
      return true;
    default:
      return false;
  }
}

std::optional<Refusal> CheckAttributes(ipp_t* ipp, const std::string& prefix, int depth, bool printer_group_only);

std::optional<Refusal> CheckAttribute(ipp_attribute_t* a, const std::string& prefix, int depth) {
  const char* raw_name = ippGetName(a);
  std::string name = raw_name != nullptr ? raw_name : "(unnamed)";
  if (auto p = StringProblem(IPP_TAG_KEYWORD, name)) {
    return Refusal{prefix + text::Clean(name, 64), "has an invalid name"};
  }
  name = prefix + name;
  const int count = ippGetCount(a);
  if (count > kMaxValues) return Refusal{name, "has more than " + std::to_string(kMaxValues) + " values"};
  const ipp_tag_t tag = ippGetValueTag(a);
  for (int i = 0; i < count; ++i) {
    if (IsString(tag)) {
      const char* s = ippGetString(a, i, nullptr);
      if (s == nullptr) continue;
      if (auto p = StringProblem(tag, s)) return Refusal{name, *p};
    } else if (tag == IPP_TAG_BEGIN_COLLECTION) {
      if (depth >= kMaxDepth) return Refusal{name, "nests collections too deeply"};
      if (auto r = CheckAttributes(ippGetCollection(a, i), name + "/", depth + 1, false)) return r;
    } else if (tag == IPP_TAG_STRING) {
      int len = 0;
      ippGetOctetString(a, i, &len);
      if (len > static_cast<int>(kMaxLongBytes)) return Refusal{name, "is longer than 1023 bytes"};
    }
  }
  return std::nullopt;
}

std::optional<Refusal> CheckAttributes(ipp_t* ipp, const std::string& prefix, int depth, bool printer_group_only) {
  int n = 0;
  for (ipp_attribute_t* a = ippFirstAttribute(ipp); a != nullptr; a = ippNextAttribute(ipp)) {
    if (printer_group_only && ippGetGroupTag(a) != IPP_TAG_PRINTER) continue;
    if (++n > kMaxAttributes) return Refusal{prefix + "(all)", "are more than " + std::to_string(kMaxAttributes)};
    if (auto r = CheckAttribute(a, prefix, depth)) return r;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> StringProblem(ipp_tag_t tag, std::string_view v) {
  if (!text::IsValidUtf8(v)) return "is not valid UTF-8";
  if (text::HasControl(v)) return "carries a line break or control character";
  if (v.find('"') != std::string_view::npos) return "carries a double quote, which would end a PPD value";
  if (HasPpdKeyword(v)) return "carries a PPD keyword (\"*Name:\")";
  const bool short_type = tag == IPP_TAG_KEYWORD || tag == IPP_TAG_MIMETYPE || tag == IPP_TAG_CHARSET ||
                          tag == IPP_TAG_LANGUAGE || tag == IPP_TAG_URISCHEME;
  const std::size_t max = short_type ? kMaxShortBytes : kMaxLongBytes;
  if (v.size() > max) return "is longer than " + std::to_string(max) + " bytes";
  switch (tag) {
    case IPP_TAG_KEYWORD:
      if (!AllOf(v, "-_.")) return "is not a valid keyword";
      break;
    case IPP_TAG_MIMETYPE:
    case IPP_TAG_CHARSET:
    case IPP_TAG_LANGUAGE:
    case IPP_TAG_URISCHEME:
      if (!AllOf(v, "-_.+/!#$&^;=")) return "is not a valid token";
      break;
    case IPP_TAG_URI:
      for (const char c : v) {
        if (c <= ' ' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' ||
            c == '}' || static_cast<unsigned char>(c) >= 0x7f) {
          return "is not a valid URI";
        }
      }
      break;
    default:
      break;
  }
  return std::nullopt;
}

std::optional<Refusal> ValidatePrinterAttributes(ipp_t* attributes) {
  if (attributes == nullptr) return Refusal{"(response)", "is missing"};
  return CheckAttributes(attributes, "", 0, true);
}

std::string RefusalSentence(const std::string& printer_name, const Refusal& refusal) {
  return "Refusing to register '" + printer_name + "': its attribute " + refusal.attribute + " " + refusal.problem +
         "; nothing was created.";
}

}  // namespace cupswps::filters
