// SPDX-License-Identifier: Apache-2.0
// How a pairing run is shown: JSON lines (--json), a live line with the time
// left on a terminal, or plain lines in a pipe. Shared by `pair` and `setup`.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "wps/local_daemons.h"
#include "wps/pin.h"
#include "wps/session.h"

namespace cupswps::backend {

// The exit status for a pairing that ended with `code` (commands.h).
int ExitCodeFor(ErrorCode code);

class PairView {
 public:
  enum class Style { kJson, kTerminal, kPlain };
  // `session` (nullptr: none, only Daemon is shown) must outlive the view.
  PairView(Style style, const wps::Session* session) : style_(style), session_(session) {}

  // The session, once there is one (after a scan for the printer's access point).
  void Attach(const wps::Session* session) { session_ = session; }
  // Which daemon is used, and why (the first line); `manager`: who manages
  // an enrollee's interface (wps::ManagerName), or "".
  void Daemon(const wps::DaemonChoice& d, std::string_view manager = {});
  // A generated PIN is shown once, for the person to type into the printer.
  void GeneratedPin(const wps::Pin& pin);
  void Show(const wps::Progress& s);
  // Redraws the live line with the time left (terminal only).
  void Tick();
  void Done(const Result<wps::Pairing>& r, int exit_code);
  void Line(const std::string& s);
  // A line of its own: {"event": EVENT, "text": TEXT} with --json, else TEXT.
  void Note(const std::string& event, const std::string& text);

 private:
  void ClearLive();

  Style style_;
  const wps::Session* session_;
  std::string status_;
  bool live_ = false;
};

}  // namespace cupswps::backend
