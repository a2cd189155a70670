// SPDX-License-Identifier: Apache-2.0
// TXT record parsing and interpretation; see txt.h.
#include "discovery/txt.h"

#include <charconv>

#include "common/ids.h"
#include "common/text.h"

namespace cupswps::discovery {
namespace {

const std::string kEmpty;

bool ValidKey(std::string_view k) {
  if (k.empty() || k.size() > kMaxTxtKeyBytes) return false;
  for (const char c : k) {
    if (c < 0x20 || c > 0x7E || c == '=') return false;
  }
  return true;
}

bool IsTrue(std::string_view v) { return v == "T" || v == "t" || v == "true" || v == "1"; }

// Resource path characters we pass on into a URI unchanged (RFC 3986 pchar
// minus '%', so no escaped byte can sneak in) plus '/'.
bool SafeResource(std::string_view rp) {
  for (const char c : rp) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '!' ||
                    c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
                    c == '+' || c == ',' || c == ';' || c == '=' || c == ':' || c == '@';
    if (!ok) return false;
  }
  return rp.find("..") == std::string_view::npos;
}

}  // namespace

const std::string& Txt::Get(std::string_view key) const {
  const auto it = values.find(std::string(key));
  return it == values.end() ? kEmpty : it->second;
}

bool Txt::Has(std::string_view key) const { return values.count(std::string(key)) != 0; }

Txt ParseTxt(const std::vector<std::string>& entries) {
  Txt txt;
  for (const std::string& raw : entries) {
    if (raw.empty()) continue;  // an empty TXT string is legal and means nothing
    const std::size_t eq = raw.find('=');
    const std::string_view key_raw = std::string_view(raw).substr(0, eq);
    if (!ValidKey(key_raw)) {
      txt.problems.push_back("dropped a TXT entry with an invalid key");
      continue;
    }
    std::string key = text::AsciiLower(key_raw);
    if (txt.values.count(key) != 0) {
      txt.problems.push_back("ignored a repeated TXT key '" + key + "'");
      continue;
    }
    if (txt.values.size() >= kMaxTxtEntries) {
      txt.problems.push_back("ignored TXT entries beyond " + std::to_string(kMaxTxtEntries));
      break;
    }
    std::string_view value = eq == std::string::npos ? std::string_view() : std::string_view(raw).substr(eq + 1);
    if (value.size() > kMaxTxtValueBytes) {
      txt.problems.push_back("dropped the oversized TXT value of '" + key + "'");
      continue;
    }
    if (!text::IsValidUtf8(value)) {
      txt.problems.push_back("dropped the TXT value of '" + key + "': not UTF-8");
      continue;
    }
    std::string cleaned = text::Clean(value, kMaxTxtValueBytes);
    if (text::HasControl(value)) {
      txt.problems.push_back("removed control characters from the TXT value of '" + key + "'");
    }
    txt.values.emplace(std::move(key), std::move(cleaned));
  }
  return txt;
}

PrinterTxt InterpretPrinterTxt(const Txt& txt) {
  PrinterTxt p;
  if (txt.Has("uuid")) {
    p.uuid = NormalizeUuid(txt.Get("uuid"));
    if (p.uuid.empty()) p.problems.push_back("ignored a malformed UUID in TXT");
  }
  const std::string& ty = txt.Get("ty");
  const std::string& mfg = txt.Get("usb_mfg");
  const std::string& mdl = txt.Get("usb_mdl");
  std::string product = txt.Get("product");
  if (product.size() >= 2 && product.front() == '(' && product.back() == ')') {
    product = product.substr(1, product.size() - 2);
  }
  if (!ty.empty()) {
    p.make_and_model = ty;
  } else if (!mfg.empty() && !mdl.empty()) {
    p.make_and_model = mfg + " " + mdl;
  } else {
    p.make_and_model = product;
  }
  if (!mfg.empty()) {
    p.manufacturer = mfg;
    p.model = mdl;
  } else if (!p.make_and_model.empty()) {
    const std::size_t sp = p.make_and_model.find(' ');
    p.manufacturer = p.make_and_model.substr(0, sp);
    p.model = sp == std::string::npos ? std::string() : p.make_and_model.substr(sp + 1);
  }
  if (p.model.empty() && !mdl.empty()) p.model = mdl;

  std::string_view rp = txt.Get("rp");
  while (!rp.empty() && rp.front() == '/') rp.remove_prefix(1);
  if (SafeResource(rp)) {
    p.resource = std::string(rp);
  } else {
    p.problems.push_back("ignored an unsafe resource path (rp) in TXT");
  }
  p.location = txt.Get("note");
  const std::string& admin = txt.Get("adminurl");
  if (admin.rfind("http://", 0) == 0 || admin.rfind("https://", 0) == 0) {
    if (admin.find_first_of(" \"<>\\") == std::string::npos) p.admin_url = admin;
  }
  std::string_view pdl = txt.Get("pdl");
  while (!pdl.empty()) {
    const std::size_t comma = pdl.find(',');
    std::string_view item = pdl.substr(0, comma);
    if (!item.empty() && item.size() <= 64 && item.find('/') != std::string_view::npos &&
        item.find_first_of(" ;:\"") == std::string_view::npos) {
      p.pdl.emplace_back(item);
    }
    if (comma == std::string_view::npos) break;
    pdl.remove_prefix(comma + 1);
  }
  p.color = IsTrue(txt.Get("color"));
  p.duplex = IsTrue(txt.Get("duplex"));
  p.tls = !txt.Get("tls").empty();
  const std::string& prio = txt.Get("priority");
  if (!prio.empty()) {
    int v = 0;
    const auto [ptr, ec] = std::from_chars(prio.data(), prio.data() + prio.size(), v);
    if (ec == std::errc() && ptr == prio.data() + prio.size() && v >= 0 && v <= 99) {
      p.priority = v;
    } else {
      p.problems.push_back("ignored a malformed priority in TXT");
    }
  }
  return p;
}

}  // namespace cupswps::discovery
