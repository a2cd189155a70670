// SPDX-License-Identifier: Apache-2.0
// What `setup` prints: one line per step (JSON lines with --json), a failure
// as one sentence, and the summary with the time each step took.
#pragma once

#include <chrono>
#include <string>

#include "common/json.h"

namespace cupswps::backend {

class SetupView {
 public:
  explicit SetupView(bool json);
  // `fields`: more members for the JSON line (an object), or nullptr.
  void Event(const std::string& event, const std::string& text, const json::Writer* fields = nullptr) const;
  void Failed(const std::string& text, int exit_code) const;
  // On a terminal (not --json): "[ 97 s] TEXT" redrawn in place, cleared by
  // the next line.
  void Countdown(std::chrono::seconds left, const std::string& text) const;

  struct Summary {
    std::string printer, side, mac, address, queue, device_uri;
    int test_page_job = 0;  // 0: no test page
    std::chrono::steady_clock::duration pair, join, registration, test_page;
  };
  void Done(const Summary& s) const;

 private:
  void ClearLive() const;

  bool json_;
  bool terminal_;
  mutable bool live_ = false;
};

}  // namespace cupswps::backend
