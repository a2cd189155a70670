// SPDX-License-Identifier: Apache-2.0
// Restore's bookkeeping; see network_handover.h.
#include "wps/network_handover.h"

#include <utility>

namespace cupswps::wps {

void HandoverSteps::Restore(Done done) {
  if (restoring_) return;
  restoring_ = true;
  restore_done_ = std::move(done);
  MaybeUndo();
}

void HandoverSteps::MaybeUndo() {
  if (!restoring_ || undoing_ || in_flight_ > 0) return;
  undoing_ = true;
  RunStep(std::make_shared<std::vector<Step>>(UndoSteps()), 0, std::make_shared<std::string>());
}

void HandoverSteps::RunStep(std::shared_ptr<std::vector<Step>> steps, std::size_t i,
                            std::shared_ptr<std::string> failures) {
  if (i == steps->size()) {
    Done done = std::exchange(restore_done_, nullptr);
    if (!done) return;
    if (failures->empty()) return done(Status());
    return done(Error{ErrorCode::kRefused, *failures, ""});
  }
  (*steps)[i]([this, steps, i, failures](std::string failure) {
    if (!failure.empty() && failures->find(failure) == std::string::npos) {
      *failures += (failures->empty() ? "" : " ") + failure;
    }
    RunStep(steps, i + 1, failures);
  });
}

}  // namespace cupswps::wps
