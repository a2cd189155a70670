// SPDX-License-Identifier: Apache-2.0
// See ppd_names.h.
#include "queues/ppd_names.h"

#include <fstream>
#include <sstream>

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

Status NamePpd(const std::string& path, std::string_view make_and_model) {
  const std::string model = PpdQuotable(make_and_model, 80);
  if (model.empty()) return {};
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kInternal, "Cannot read the PPD made for " + model + "; nothing was created.", path};
  std::ostringstream out;
  std::string line;
  auto starts = [&](std::string_view key) { return line.rfind(key, 0) == 0; };
  while (std::getline(in, line)) {
    if (starts("*ModelName:")) {
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
  if (!rewrite) return Error{ErrorCode::kInternal, "Cannot write the PPD made for " + model + "; nothing was created.", path};
  return {};
}

}  // namespace cupswps::queues
