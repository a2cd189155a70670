// SPDX-License-Identifier: Apache-2.0
// The handover to wpa_supplicant alone; see supplicant_handover.h.
#include "wps/supplicant_handover.h"

#include <utility>

#include "common/log.h"

namespace cupswps::wps {

SupplicantHandover::SupplicantHandover(SupplicantNetworks& networks, ProfileOptions options)
    : networks_(networks), options_(std::move(options)) {}

void SupplicantHandover::Prepare(Done done) {
  networks_.List(Tracked([this, done](Result<std::vector<SupplicantNetworks::Network>> listed) {
    if (!listed) {
      return Report(done, Error{ErrorCode::kWpsNoDaemon,
                                "wpa_supplicant did not list its networks on " + options_.ifname +
                                    "; nothing was paired.",
                                listed.error().detail});
    }
    for (const auto& n : listed.value()) {
      if (n.enabled) enabled_before_.push_back(n.path);
    }
    if (restoring()) return;
    DisableFrom(0, done);
  }));
}

void SupplicantHandover::DisableFrom(std::size_t i, Done done) {
  if (i == enabled_before_.size()) return Report(done, Status());
  networks_.Disable(enabled_before_[i], Tracked([this, i, done](Status s) {
    if (!s) {
      return Report(done, Error{ErrorCode::kWpsRefused,
                                "wpa_supplicant did not take " + options_.ifname +
                                    " off its networks for the run; nothing was paired.",
                                s.error().detail});
    }
    if (restoring()) return;
    DisableFrom(i + 1, done);
  }));
}

void SupplicantHandover::Join(std::shared_ptr<const ReceivedNetwork> network, Done done) {
  auto args = SupplicantNetworkArgs(*network, options_);
  if (!args) return done(args.error());
  networks_.Add(std::move(args.value()), Tracked([this, done](Result<std::string> added) {
    if (!added) {
      return Report(done, Error{ErrorCode::kWpsRefused,
                                "wpa_supplicant did not take the printer's network, so it was not joined.",
                                added.error().detail});
    }
    ours_ = added.value();
    log::Debug("wpa_supplicant holds the printer's network as " + ours_);
    if (restoring()) return;
    networks_.Select(ours_, Tracked([this, done](Status s) {
      if (!s) {
        return Report(done, Error{ErrorCode::kWpsRefused,
                                  "wpa_supplicant did not switch " + options_.ifname + " to the printer's network.",
                                  s.error().detail});
      }
      Report(done, Status());
    }));
  }));
}

std::vector<HandoverSteps::Step> SupplicantHandover::UndoSteps() {
  std::vector<Step> steps;
  if (!ours_.empty() && !options_.keep) {
    steps.push_back([this](auto next) {
      networks_.Remove(ours_, [this, next](Status s) {
        if (s) return next("");
        log::Debug("removing " + ours_ + ": " + s.error().detail);
        next("wpa_supplicant did not forget the printer's network on " + options_.ifname +
             "; remove it yourself (wpa_cli remove_network).");
      });
    });
  }
  for (const std::string& path : enabled_before_) {
    steps.push_back([this, path](auto next) {
      networks_.Enable(path, [this, next, path](Status s) {
        if (s) return next("");
        log::Debug("enabling " + path + ": " + s.error().detail);
        next("wpa_supplicant did not enable a network of " + options_.ifname +
             " again; enable it yourself (wpa_cli enable_network).");
      });
    });
  }
  return steps;
}

}  // namespace cupswps::wps
