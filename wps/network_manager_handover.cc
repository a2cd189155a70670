// SPDX-License-Identifier: Apache-2.0
// The handover to NetworkManager; see network_manager_handover.h.
#include "wps/network_manager_handover.h"

#include <utility>

#include "common/log.h"

namespace cupswps::wps {
namespace {

// One sentence for the user, the detail for the debug log.
Error Failure(const Error& cause, std::string message) {
  return Error{cause.code == ErrorCode::kWpsNoDaemon ? ErrorCode::kWpsDaemonGone : ErrorCode::kWpsRefused,
               std::move(message), cause.detail};
}

}  // namespace

NetworkManagerHandover::NetworkManagerHandover(NetworkManagerClient& client, NetworkManagerDevice device,
                                               ProfileOptions options)
    : client_(client), device_(std::move(device)), options_(std::move(options)) {}

void NetworkManagerHandover::Prepare(Done done) {
  const std::string& i = options_.ifname;
  autoconnect_off_ = true;
  client_.SetAutoconnect(device_.path, false, Tracked([this, done, i](Status s) {
    if (!s) {
      return Report(done, Failure(s.error(), "NetworkManager would not stop connecting " + i +
                                                 " by itself (Autoconnect), so the printer's network could not be "
                                                 "joined; nothing was paired."));
    }
    if (device_.active.empty() || restoring()) return Report(done, Status());
    previous_off_ = true;
    client_.Deactivate(device_.active, device_.path, Tracked([this, done, i](Status d) {
      if (!d) {
        return Report(done, Failure(d.error(), "NetworkManager would not take " + i +
                                                   " off its current network, so the printer's network could not "
                                                   "be joined; nothing was paired."));
      }
      Report(done, Status());
    }));
  }));
}

void NetworkManagerHandover::Join(std::shared_ptr<const ReceivedNetwork> network, Done done) {
  auto settings = NetworkManagerSettings(*network, options_);
  if (!settings) return done(settings.error());
  client_.AddAndActivate(std::move(settings.value()), device_.path, NetworkManagerOptions(options_.keep),
                         Tracked([this, done](Result<std::string> active) {
                           if (!active) {
                             return Report(done, Failure(active.error(),
                                                         "NetworkManager did not take the printer's network (" +
                                                             active.error().detail + "), so it was not joined."));
                           }
                           ours_ = active.value();
                           log::Debug("NetworkManager activates the printer's network as " + ours_);
                           if (restoring()) return;  // Restore takes it down at once
                           client_.WaitActivated(ours_, Tracked([this, done](Status s) {
                             if (s) return Report(done, Status());
                             // Given up: NetworkManager has removed it already.
                             if (s.error().code == ErrorCode::kNotFound) ours_.clear();
                             Report(done, Error{ErrorCode::kWpsFailed,
                                                "The printer handed over its network, but NetworkManager did not "
                                                "join it (" + s.error().detail + ").",
                                                s.error().detail});
                           }));
                         }));
}

std::vector<HandoverSteps::Step> NetworkManagerHandover::UndoSteps() {
  std::vector<Step> steps;
  const std::string& i = options_.ifname;
  const bool staying = options_.keep && !ours_.empty();
  if (!ours_.empty() && !options_.keep) {
    steps.push_back([this, i](auto next) {
      client_.Deactivate(ours_, device_.path, [next, i](Status s) {
        if (s) return next("");
        log::Debug("deactivating the printer's network: " + s.error().detail);
        next("NetworkManager did not take " + i + " off the printer's network; run 'nmcli device disconnect " + i +
             "'.");
      });
    });
  }
  if (previous_off_ && !staying && !device_.active_connection.empty()) {
    steps.push_back([this, i](auto next) {
      client_.Activate(device_.active_connection, device_.path, [this, next, i](Status s) {
        if (s) return next("");
        log::Debug("reactivating " + device_.active_connection + ": " + s.error().detail);
        next("NetworkManager did not put " + i + " back on '" + device_.active_id +
             "'; reconnect it yourself (nmcli connection up).");
      });
    });
  }
  if (autoconnect_off_) {
    steps.push_back([this, i](auto next) {
      client_.SetAutoconnect(device_.path, device_.autoconnect, [this, next, i](Status s) {
        if (s) return next("");
        log::Debug("Autoconnect: " + s.error().detail);
        next(std::string("NetworkManager did not let ") + i + " connect by itself again; run 'nmcli device set " + i +
             " autoconnect " + (device_.autoconnect ? "yes" : "no") + "'.");
      });
    });
  }
  return steps;
}

}  // namespace cupswps::wps
