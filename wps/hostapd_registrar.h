// SPDX-License-Identifier: Apache-2.0
// WpsRegistrar over hostapd's control socket (and wpa_supplicant's, when it
// runs an access point: the WPS commands and events are the same).
// ATTACH for events, WPS_PBC or WPS_PIN any <pin> <timeout> to arm,
// WPS_CANCEL to disarm, PING every second to notice a daemon that died.
#pragma once

#include <glib.h>

#include <chrono>
#include <memory>
#include <string>

#include "wps/ctrl_socket.h"
#include "wps/registrar.h"

namespace cupswps::wps {

// The usual place of hostapd's control sockets (one per interface).
inline constexpr char kHostapdCtrlDir[] = "/run/hostapd";

class HostapdRegistrar final : public WpsRegistrar {
 public:
  struct Options {
    std::string daemon = "hostapd";  // how messages name it
    std::chrono::milliseconds ping_interval{1000};
    std::chrono::milliseconds reply_timeout{2000};
  };
  // `context` (nullptr: the default one) must outlive the registrar.
  HostapdRegistrar(GMainContext* context, std::string ctrl_path, Options options);
  HostapdRegistrar(GMainContext* context, std::string ctrl_path);
  ~HostapdRegistrar() override;

  std::string Describe() const override;
  void Arm(const Arming& arming, EventSink sink) override;
  void Disarm(bool run_succeeded, std::function<void()> done) override;

 private:
  void Ping();
  void OnLine(std::string_view line);
  void OnBroken(const Error& error);
  void Emit(Event event);
  Event ReplyError(EventKind kind, std::string_view command, const Result<std::string>& reply) const;

  GMainContext* context_;
  std::string path_;
  Options options_;
  EventSink sink_;
  std::unique_ptr<CtrlSocket> socket_;
  bool arm_sent_ = false;    // WPS_PBC / WPS_PIN went out
  bool armed_ = false;       // ... and hostapd said OK
  bool disarming_ = false;
  bool ping_pending_ = false;
  SourceGuard ping_timer_;
  Poster poster_;
};

}  // namespace cupswps::wps
