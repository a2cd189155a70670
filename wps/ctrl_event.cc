// SPDX-License-Identifier: Apache-2.0
// Control-socket event lines -> Event; see ctrl_event.h. The formats are
// those of hostapd 2.x (src/ap/wps_hostapd.c) and wpa_supplicant 2.x.
#include "wps/ctrl_event.h"

#include "common/text.h"

#include <charconv>
#include <string>
#include <vector>

namespace cupswps::wps {
namespace {

constexpr std::size_t kMaxLine = 4096;

std::string_view StripPrefix(std::string_view line) {
  // wpa_supplicant's global socket prefixes "IFNAME=wlan0 ".
  if (line.substr(0, 7) == "IFNAME=") {
    const std::size_t sp = line.find(' ');
    line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  }
  if (line.size() >= 3 && line[0] == '<' && line[1] >= '0' && line[1] <= '9') {
    const std::size_t gt = line.find('>');
    if (gt != std::string_view::npos && gt <= 3) line.remove_prefix(gt + 1);
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.remove_suffix(1);
  return line;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// The text between the first '[' and the last ']' ("" when there is none).
std::string_view Bracketed(std::string_view s) {
  const std::size_t open = s.find('[');
  const std::size_t close = s.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return {};
  return s.substr(open + 1, close - open - 1);
}

// The first field between '|' ("|name|manufacturer|...|"), "" when there is none.
std::string_view FirstBarred(std::string_view s) {
  const std::size_t open = s.find('|');
  if (open == std::string_view::npos) return {};
  const std::size_t close = s.find('|', open + 1);
  if (close == std::string_view::npos) return {};
  return s.substr(open + 1, close - open - 1);
}

// The value of `key=` among `words`, "" when absent.
std::string_view Value(const std::vector<std::string_view>& words, std::string_view key) {
  for (const std::string_view w : words) {
    if (w.size() > key.size() && w.substr(0, key.size()) == key && w[key.size()] == '=') return w.substr(key.size() + 1);
  }
  return {};
}

}  // namespace

int DeviceCategory(std::string_view device_type) {  // "3-0050F204-1" -> 3
  int value = 0;
  const auto r = std::from_chars(device_type.data(), device_type.data() + device_type.size(), value);
  if (r.ec != std::errc() || r.ptr == device_type.data() || r.ptr == device_type.data() + device_type.size() ||
      *r.ptr != '-' || value < 0 || value > 65535) {
    return 0;
  }
  return value;
}

namespace {

// "msg=8 config_error=18 reason=..." -> the integer after `key=`.
int Field(const std::vector<std::string_view>& words, std::string_view key) {
  const std::string_view v = Value(words, key);
  int value = 0;
  if (!v.empty() && std::from_chars(v.data(), v.data() + v.size(), value).ec == std::errc()) return value;
  return 0;
}

Event Kind(EventKind kind, std::string_view name) {
  Event e;
  e.kind = kind;
  e.name = std::string(name);
  return e;
}

}  // namespace

bool IsCtrlEvent(std::string_view datagram) {
  if (datagram.substr(0, 7) == "IFNAME=") return true;
  return datagram.size() >= 3 && datagram[0] == '<' && datagram[1] >= '0' && datagram[1] <= '9';
}

Event ParseCtrlEvent(std::string_view raw) {
  if (raw.size() > kMaxLine) raw = raw.substr(0, kMaxLine);
  const std::string_view line = StripPrefix(raw);
  const std::vector<std::string_view> w = Words(line);
  if (w.empty()) return Kind(EventKind::kOther, "");
  const std::string_view name = w[0];
  // Only the name: the rest of an unknown line may be a secret
  // (WPS-CRED-RECEIVED carries the network key in hex).
  Event e = Kind(EventKind::kOther, name.size() <= 40 ? name : name.substr(0, 40));

  if (name == "WPS-REG-SUCCESS") {
    // WPS-REG-SUCCESS <enrollee mac> <enrollee uuid>
    if (w.size() < 3) return e;
    e.kind = EventKind::kRegistered;
    e.device.mac = NormalizeMac(w[1]);
    e.device.uuid = NormalizeUuid(w[2]);
    if (e.device.mac.empty()) e.kind = EventKind::kOther;
  } else if (name == "WPS-ENROLLEE-SEEN") {
    // WPS-ENROLLEE-SEEN <mac> <uuid> <device type> 0x<config methods>
    //   <device password id> <request type> [<device name>]
    if (w.size() < 4) return e;
    e.device.mac = NormalizeMac(w[1]);
    if (e.device.mac.empty()) return e;
    e.kind = EventKind::kEnrolleeSeen;
    e.device.uuid = NormalizeUuid(w[2]);
    e.device.category = DeviceCategory(w[3]);
    e.push_button = w.size() >= 6 && w[5] == "4";
    e.device.name = CleanDeviceName(Bracketed(line));
  } else if (name == "WPS-PIN-NEEDED") {
    // WPS-PIN-NEEDED <uuid> <mac> [<name>|<manufacturer>|<model>|<number>|<serial>|<device type>]
    if (w.size() < 3) return e;
    e.kind = EventKind::kPinNeeded;
    e.device.uuid = NormalizeUuid(w[1]);
    e.device.mac = NormalizeMac(w[2]);
    const std::string_view info = Bracketed(line);
    const std::size_t bar = info.find('|');
    e.device.name = CleanDeviceName(info.substr(0, bar));
    const std::size_t last = info.rfind('|');
    if (last != std::string_view::npos) e.device.category = DeviceCategory(info.substr(last + 1));
  } else if (name == "WPS-ER-AP-ADD") {
    // WPS-ER-AP-ADD <ap uuid> <ap mac> pri_dev_type=... wps_state=N |<friendly name>|<manufacturer>|...|
    if (w.size() < 3) return e;
    e.device.uuid = NormalizeUuid(w[1]);
    if (e.device.uuid.empty()) return e;
    e.kind = EventKind::kRouterFound;
    e.device.mac = NormalizeMac(w[2]);
    e.device.name = CleanDeviceName(FirstBarred(line));
  } else if (name == "WPS-ER-AP-REMOVE") {
    if (w.size() < 2 || NormalizeUuid(w[1]).empty()) return e;
    e.kind = EventKind::kGone;
    e.device.uuid = NormalizeUuid(w[1]);
    e.error = Error{ErrorCode::kWpsDaemonGone, "", "the router left (UPnP)"};
  } else if (name == "WPS-ER-ENROLLEE-ADD") {
    // WPS-ER-ENROLLEE-ADD <uuid> <mac> M1=0|1 config_methods=0x.. dev_passwd_id=N pri_dev_type=...
    //   |<device name>|<manufacturer>|<model name>|<model number>|<serial>|
    // M1=1: the registration protocol with it has started through the router.
    if (w.size() < 4) return e;
    e.device.mac = NormalizeMac(w[2]);
    if (e.device.mac.empty()) return e;
    e.device.uuid = NormalizeUuid(w[1]);
    e.kind = Value(w, "M1") == "1" ? EventKind::kExchanging : EventKind::kEnrolleeSeen;
    e.push_button = Value(w, "dev_passwd_id") == "4";
    e.device.category = DeviceCategory(Value(w, "pri_dev_type"));
    e.device.name = CleanDeviceName(FirstBarred(line));
  } else if (name == "CTRL-EVENT-EAP-STARTED") {
    // hostapd: CTRL-EVENT-EAP-STARTED <station mac>; wpa_supplicant: free text.
    e.kind = EventKind::kExchanging;
    if (w.size() >= 2) e.device.mac = NormalizeMac(w[1]);
  } else if (name == "WPS-FAIL") {
    e.kind = EventKind::kFailed;
    e.message = Field(w, "msg");
    e.config_error = Field(w, "config_error");
  } else if (name == "WPS-M2D") {
    e.kind = EventKind::kM2d;
    e.config_error = Field(w, "config_error");
  } else if (name == "WPS-SUCCESS") {
    e.kind = EventKind::kSuccess;
  } else if (name == "WPS-TIMEOUT") {
    e.kind = EventKind::kTimeout;
  } else if (name == "WPS-OVERLAP-DETECTED") {
    e.kind = EventKind::kOverlap;
  } else if (name == "WPS-AP-SETUP-LOCKED") {
    e.kind = EventKind::kLocked;
  } else if (name == "WPS-PBC-ACTIVE") {
    e.kind = EventKind::kPbcActive;
  } else if (name == "WPS-PBC-DISABLE") {
    e.kind = EventKind::kPbcDisabled;
  } else if (name == "WPS-CANCEL") {
    e.kind = EventKind::kDisarmed;
  } else if (name == "CTRL-EVENT-TERMINATING") {
    e.kind = EventKind::kGone;
    e.error = Error{ErrorCode::kWpsDaemonGone, "", "the daemon is terminating"};
  } else if (name == "AP-DISABLED") {
    e.kind = EventKind::kGone;
    e.error = Error{ErrorCode::kWpsDaemonGone, "", "the access point was disabled"};
  }
  return e;
}

std::optional<std::string> DecodeSupplicantText(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i++];
    if (c == '\\' && i < text.size()) {
      const char e = text[i++];
      switch (e) {
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'e': c = '\033'; break;
        case 'x': {
          const int hi = i < text.size() ? text::HexValue(text[i]) : -1;
          if (hi < 0) return std::nullopt;  // printf_encode never writes a bare \x
          const int lo = i + 1 < text.size() ? text::HexValue(text[i + 1]) : -1;
          c = static_cast<char>(lo < 0 ? hi : hi << 4 | lo);
          i += lo < 0 ? 1 : 2;
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int n = 0; n < 2 && i < text.size() && text[i] >= '0' && text[i] <= '7'; ++n) v = v * 8 + (text[i++] - '0');
            c = static_cast<char>(v & 0xff);
          } else {
            c = e;  // \\ and \" (and anything else) stand for themselves
          }
      }
    }
    if (out.size() == max_bytes) return std::nullopt;
    out += c;
  }
  return out;
}

}  // namespace cupswps::wps
