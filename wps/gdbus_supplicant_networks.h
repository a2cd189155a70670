// SPDX-License-Identifier: Apache-2.0
// SupplicantNetworks over wpa_supplicant's D-Bus API (fi.w1.wpa_supplicant1:
// Interface.AddNetwork, SelectNetwork, RemoveNetwork, the Networks property,
// Network.Enabled), with GDBus on a GLib main context, for one interface
// (found by its name on first use). Never calls SaveConfig.
#pragma once

#include <gio/gio.h>

#include <string>
#include <vector>

#include "wps/dbus_caller.h"
#include "wps/supplicant_handover.h"

namespace cupswps::wps {

class GdbusSupplicantNetworks final : public SupplicantNetworks {
 public:
  // `context` (nullptr: the default one) must outlive the client.
  GdbusSupplicantNetworks(GMainContext* context, std::string ifname, GBusType bus = G_BUS_TYPE_SYSTEM);

  void List(std::function<void(Result<std::vector<Network>>)> done) override;
  void Add(VariantPtr args, std::function<void(Result<std::string>)> done) override;
  void Select(const std::string& network, Done done) override;
  void Remove(const std::string& network, Done done) override;
  void Enable(const std::string& network, Done done) override;
  void Disable(const std::string& network, Done done) override;

 private:
  // Runs `then` with the interface's object path, or the error.
  void WithInterface(std::function<void(const Error*)> then);
  void ReadEnabled(std::vector<std::string> paths, std::size_t i, std::vector<Network> out,
                   std::function<void(Result<std::vector<Network>>)> done);

  std::string ifname_;
  std::string path_;
  DbusCaller bus_;
};

}  // namespace cupswps::wps
