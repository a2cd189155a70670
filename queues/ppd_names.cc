// SPDX-License-Identifier: Apache-2.0
// See ppd_names.h.
#include "queues/ppd_names.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/ids.h"

namespace cupswps::queues {

std::string PpdQuotable(std::string_view s, std::size_t max) {
  std::string out;
  for (const char c : s) {
    const bool keep = c > ' ' && c < 0x7f && c != '"' && c != '<' && c != '>';
    if (keep) {
      out += c;
    } else if (c == ' ' && !out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > max) {
    out.resize(max);
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

namespace {

constexpr std::string_view kUuidKey = "*cupswpsPrinterUUID:";

}  // namespace

Status NamePpd(const std::string& path, std::string_view make_and_model, std::string_view printer_uuid) {
  const std::string model = PpdQuotable(make_and_model, 80);
  const std::string uuid = NormalizeUuid(printer_uuid);
  if (model.empty() && uuid.empty()) return {};
  const std::string what = model.empty() ? "its printer" : model;
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kInternal, "Cannot read the PPD made for " + what + "; nothing was created.", path};
  std::ostringstream out;
  std::string line;
  bool first = true;
  auto starts = [&](std::string_view key) { return line.rfind(key, 0) == 0; };
  while (std::getline(in, line)) {
    if (std::exchange(first, false)) {
      out << line << '\n';
      if (!uuid.empty()) out << kUuidKey << " \"" << uuid << "\"\n";
      continue;
    }
    if (starts(kUuidKey)) continue;  // libcups writes none; never two
    if (model.empty()) {
      // libcups' names stay
    } else if (starts("*ModelName:")) {
      line = "*ModelName: \"" + model + "\"";
    } else if (starts("*NickName:")) {
      line = "*NickName: \"" + model + ", driverless, cups-wps\"";
    } else if (starts("*ShortNickName:")) {
      line = "*ShortNickName: \"" + PpdQuotable(model, 31) + "\"";
    }
    out << line << '\n';
  }
  in.close();
  std::ofstream rewrite(path, std::ios::trunc);
  rewrite << out.str();
  rewrite.close();
  if (!rewrite) return Error{ErrorCode::kInternal, "Cannot write the PPD made for " + what + "; nothing was created.", path};
  return {};
}

std::string PpdPrinterUuid(std::string_view ppd_text) {
  for (std::size_t at = 0; at < ppd_text.size();) {
    const std::size_t end = std::min(ppd_text.find('\n', at), ppd_text.size());
    std::string_view line = ppd_text.substr(at, end - at);
    at = end + 1;
    if (line.rfind(kUuidKey, 0) != 0) continue;
    line.remove_prefix(kUuidKey.size());
    const std::size_t open = line.find('"');
    const std::size_t close = line.rfind('"');
    if (open == std::string_view::npos || close <= open) return "";
    return NormalizeUuid(line.substr(open + 1, close - open - 1));
  }
  return "";
}

}  // namespace cupswps::queues
