// SPDX-License-Identifier: Apache-2.0
// Hand-written fakes of the handovers' client seams (NetworkManagerClient,
// SupplicantNetworks), with manipulation methods: every call is recorded as
// one line ("SetAutoconnect /dev/1 false"), answered through the main context
// (never from inside the call) with success, or with an error for the
// methods named in `fail`; a method named in `hold` waits until Release().
#pragma once

#include <glib.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/glib.h"
#include "wps/network_manager_handover.h"
#include "wps/supplicant_handover.h"

namespace cupswps::wps::testing {

class FakeCalls {
 public:
  explicit FakeCalls(GMainContext* context) : poster_(context) {}

  std::vector<std::string> calls;
  std::set<std::string> fail;  // methods that answer with an error
  Error failure{ErrorCode::kWpsRefused, "", "fake refusal"};  // the error they answer with
  std::set<std::string> hold;  // methods that answer only at Release()

  // Lets the held calls answer.
  void Release() {
    hold.clear();
    for (auto& answer : held_) poster_.Post(std::move(answer));
    held_.clear();
  }
  std::size_t held() const { return held_.size(); }
  bool Called(const std::string& line) const { return std::find(calls.begin(), calls.end(), line) != calls.end(); }
  int Count(const std::string& method) const {
    return static_cast<int>(std::count_if(calls.begin(), calls.end(),
                                          [&](const std::string& c) { return c.rfind(method + " ", 0) == 0 || c == method; }));
  }

 protected:
  // Records `line` and answers with `ok` or `error` (an Error from the daemon).
  void Answer(const std::string& method, const std::string& line, std::function<void()> ok,
              std::function<void(Error)> error) {
    calls.push_back(line);
    std::function<void()> answer = fail.count(method) != 0
                                       ? std::function<void()>([error, e = failure] { error(e); })
                                       : ok;
    if (hold.count(method) != 0) {
      held_.push_back(std::move(answer));
      return;
    }
    poster_.Post(std::move(answer));
  }

 private:
  std::vector<std::function<void()>> held_;
  Poster poster_;
};

class FakeNetworkManagerClient final : public NetworkManagerClient, public FakeCalls {
 public:
  using FakeCalls::FakeCalls;

  NetworkManagerDevice device;  // what FindDevice answers
  VariantPtr settings, options;  // what AddAndActivate was given

  void FindDevice(const std::string& ifname, std::function<void(Result<NetworkManagerDevice>)> done) override {
    Answer("FindDevice", "FindDevice " + ifname, [this, done] { done(device); }, [done](Error e) { done(e); });
  }
  void SetAutoconnect(const std::string& dev, bool on, Done done) override {
    Answer("SetAutoconnect", "SetAutoconnect " + dev + (on ? " true" : " false"), [done] { done(Status()); },
           [done](Error e) { done(e); });
  }
  void Deactivate(const std::string& active, const std::string& dev, Done done) override {
    Answer("Deactivate", "Deactivate " + active + " " + dev, [done] { done(Status()); }, [done](Error e) { done(e); });
  }
  void Activate(const std::string& connection, const std::string& dev, Done done) override {
    Answer("Activate", "Activate " + connection + " " + dev, [done] { done(Status()); }, [done](Error e) { done(e); });
  }
  void WaitActivated(const std::string& active, Done done) override {
    Answer("WaitActivated", "WaitActivated " + active, [done] { done(Status()); }, [done](Error e) { done(e); });
  }
  void AddAndActivate(VariantPtr s, const std::string& dev, VariantPtr o,
                      std::function<void(Result<std::string>)> done) override {
    settings = std::move(s);
    options = std::move(o);
    Answer("AddAndActivate", "AddAndActivate " + dev, [done] { done(std::string("/active/printer")); },
           [done](Error e) { done(e); });
  }
};

class FakeSupplicantNetworks final : public SupplicantNetworks, public FakeCalls {
 public:
  using FakeCalls::FakeCalls;

  std::vector<Network> networks;  // what List answers
  VariantPtr added;               // what Add was given

  void List(std::function<void(Result<std::vector<Network>>)> done) override {
    Answer("List", "List", [this, done] { done(networks); }, [done](Error e) { done(e); });
  }
  void Add(VariantPtr args, std::function<void(Result<std::string>)> done) override {
    added = std::move(args);
    Answer("Add", "Add", [done] { done(std::string("/net/9")); }, [done](Error e) { done(e); });
  }
  void Select(const std::string& network, Done done) override {
    Answer("Select", "Select " + network, [done] { done(Status()); }, [done](Error e) { done(e); });
  }
  void Remove(const std::string& network, Done done) override {
    Answer("Remove", "Remove " + network, [done] { done(Status()); }, [done](Error e) { done(e); });
  }
  void Enable(const std::string& network, Done done) override {
    Answer("Enable", "Enable " + network, [done] { done(Status()); }, [done](Error e) { done(e); });
  }
  void Disable(const std::string& network, Done done) override {
    Answer("Disable", "Disable " + network, [done] { done(Status()); }, [done](Error e) { done(e); });
  }
};

}  // namespace cupswps::wps::testing
