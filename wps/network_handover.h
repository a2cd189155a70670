// SPDX-License-Identifier: Apache-2.0
// The NetworkHandover seam: this host's side of an enrollee run, around the
// WPS run itself. Before WPS it keeps whoever manages the interface from
// interfering, saving what it did; after a successful run it has the
// printer's network joined; at the end it puts back everything it changed,
// whatever happened (success, failure, Ctrl-C). NetworkManagerHandover and
// SupplicantHandover are the real ones; both are pure state machines over a
// thin client seam (a fake in the tests, GDBus in the programs).
//
// Callbacks come from the main context (the clients' completions); Restore
// with nothing to undo calls `done` at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "wps/event.h"

namespace cupswps::wps {

class NetworkHandover {
 public:
  using Done = std::function<void(Status)>;
  virtual ~NetworkHandover() = default;

  // Saves what the manager does with the interface now and keeps it from
  // interfering with the WPS run. Call once, before WPS starts.
  virtual void Prepare(Done done) = 0;
  // Has `network` joined (after a successful run): `done` once the manager
  // took it on (not once it is connected), or at once when it cannot be
  // joined at all (WEP, a bad key). Call once, after Prepare.
  virtual void Join(std::shared_ptr<const ReceivedNetwork> network, Done done) = 0;
  // Puts back what Prepare and Join changed (with --keep-network: leaves the
  // printer's network joined). Call once, at any time: it first waits for a
  // Prepare or Join under way, whose `done` is then never called. `done`:
  // an Error when something could not be put back (its message says what to
  // do); nothing changed stays changed silently.
  virtual void Restore(Done done) = 0;
};

// What both real handovers share: the bookkeeping of steps under way, and
// Restore's run through the steps that undo them, in order, each tried even
// when an earlier one failed.
class HandoverSteps : public NetworkHandover {
 public:
  void Restore(Done done) final;

 protected:
  // A step of Restore: it calls its continuation once, with "" or the
  // sentence saying what could not be put back.
  using Step = std::function<void(std::function<void(std::string)> next)>;
  // The steps that undo what was done so far (called once, when nothing is
  // under way any more).
  virtual std::vector<Step> UndoSteps() = 0;

  // Wraps the completion of a step of Prepare or Join: while any is under
  // way Restore waits for it. The completion always runs (it records what
  // was done, for UndoSteps); once Restore was asked for it starts no
  // further step (check restoring()) and reports through Report.
  template <typename F>
  auto Tracked(F f) {
    ++in_flight_;
    return [this, f = std::move(f)](auto&&... args) mutable {
      --in_flight_;
      f(std::forward<decltype(args)>(args)...);
      MaybeUndo();
    };
  }
  bool restoring() const { return restoring_; }
  // Reports a Prepare's or Join's outcome, unless Restore was asked for.
  void Report(const Done& done, Status status) {
    if (!restoring_) done(std::move(status));
  }

 private:
  void MaybeUndo();
  void RunStep(std::shared_ptr<std::vector<Step>> steps, std::size_t i, std::shared_ptr<std::string> failures);

  int in_flight_ = 0;
  bool restoring_ = false;
  bool undoing_ = false;
  Done restore_done_;
};

}  // namespace cupswps::wps
