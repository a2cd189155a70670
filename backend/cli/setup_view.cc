// SPDX-License-Identifier: Apache-2.0
// setup's output; see setup_view.h.
#include "backend/cli/setup_view.h"

#include <unistd.h>

#include <cstdio>

#include "backend/cli/cli.h"
#include "backend/cli/commands.h"
#include "common/log.h"

namespace cupswps::backend {
namespace {

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::int64_t Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::string Fixed(std::chrono::steady_clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", Seconds(d));
  return buf;
}

}  // namespace

SetupView::SetupView(bool json) : json_(json), terminal_(!json && isatty(STDOUT_FILENO)) {}

void SetupView::ClearLive() const {
  if (live_) Out("\r\033[K");
  live_ = false;
}

void SetupView::Countdown(std::chrono::seconds left, const std::string& text) const {
  if (!terminal_) return;
  char head[32];
  std::snprintf(head, sizeof head, "\r\033[K[%3lld s] ", static_cast<long long>(left.count()));
  Out(head + text);
  live_ = true;
}

void SetupView::Event(const std::string& event, const std::string& text, const json::Writer* fields) const {
  ClearLive();
  if (!json_) {
    Out(text + "\n");
    return;
  }
  std::string line = "{\"event\":" + json::Quote(event) + ",\"text\":" + json::Quote(text);
  if (fields != nullptr && fields->str().size() > 2) line += "," + fields->str().substr(1, fields->str().size() - 2);
  Out(line + "}\n");
}

void SetupView::Failed(const std::string& text, int exit_code) const {
  ClearLive();
  if (json_) {
    json::Writer w;
    w.BeginObject().Key("event").String("failed").Key("text").String(text).Key("exit").Int(exit_code).EndObject();
    Out(w.str() + "\n");
  } else {
    log::Error(text);
  }
}

void SetupView::Done(const Summary& s) const {
  ClearLive();
  if (json_) {
    json::Writer w;
    w.BeginObject()
        .Key("event").String("done")
        .Key("printer").String(s.printer)
        .Key("side").String(s.side)
        .Key("mac").String(s.mac)
        .Key("address").String(s.address)
        .Key("queue").String(s.queue)
        .Key("device_uri").String(s.device_uri)
        .Key("test_page_job").Int(s.test_page_job)
        .Key("ms").BeginObject()
        .Key("pair").Int(Ms(s.pair))
        .Key("join").Int(Ms(s.join))
        .Key("register").Int(Ms(s.registration))
        .Key("test_page").Int(Ms(s.test_page))
        .EndObject()
        .Key("exit").Int(kExitOk)
        .EndObject();
    Out(w.str() + "\n");
    return;
  }
  Out("\nSet up '" + s.printer + "' (" + (s.mac.empty() ? std::string() : s.mac + ", ") + s.address +
      ") as queue " + s.queue + ".\n  paired in " + Fixed(s.pair) + " s, joined the network in " + Fixed(s.join) +
      " s, queue ready in " + Fixed(s.registration) + " s" +
      (s.test_page_job != 0 ? ", test page printed in " + Fixed(s.test_page) + " s" : std::string()) + ".\n");
}

}  // namespace cupswps::backend
