// SPDX-License-Identifier: Apache-2.0
// WpsRegistrar over wpa_supplicant's External Registrar (ER): this host is a
// station of the home router, the router is the access point, and the ER
// reaches the router's WPS over UPnP. The ER commands exist only on
// wpa_supplicant's control socket (not on its D-Bus API).
//
//   ATTACH; STATUS (the id of the network this wpa_supplicant is connected
//   with; a 5/6 GHz or open one is refused); GET_NETWORK <id> key_mgmt (one
//   without WPA-PSK, e.g. SAE only, is refused); the key's form (key_form:
//   a 64-hex-digit PSK, which would reach the printer as 32 raw bytes, is
//   refused); WPS_ER_START; routers answer
//   as WPS-ER-AP-ADD <ap-uuid> <ap-mac>. The one whose MAC is STATUS's bssid
//   (the access point this host is associated with), or the one the person
//   named (router_uuid), is taken at once; else, after the search interval
//   in which the first one answered, the only one. While none answered,
//   WPS_ER_START is sent again each search interval (a new M-SEARCH), up to
//   router_wait. None: the router has no UPnP WPS (or a firewall here drops
//   its answers: silence_hint); several, none of them this host's access
//   point (mesh nodes, extenders, a Linux box with hostapd): they are named
//   and none is guessed at. Both are kUnavailable with kWpsNoRouterWps
//   (press the router's own button instead);
//   WPS_ER_SET_CONFIG <ap-uuid> <network id> (the network's settings, by id:
//   the key never passes through cups-wps); then WPS_ER_PBC <ap-uuid> (the
//   router's virtual button) or WPS_ER_PIN any <PIN>.
// With --network SSID (options.network), a saved network of this
// wpa_supplicant's other than the one it is on goes to the printer: the
// same checks by its id from LIST_NETWORKS, and, once the router is taken,
// a scan that must see that SSID at 2.4 GHz with the router's UUID in its
// WPS element (a router's other band, not a neighbour's network). Not saved
// there (NetworkManager gives wpa_supplicant only the profile in use): a
// network saved elsewhere (saved_elsewhere: NetworkManager's profile of
// that SSID) is added for the run, disabled, by ADD_NETWORK and SET_NETWORK
// (the key over the control socket only), and removed at Disarm.
// With the router's own AP PIN (UseRouterPin; its label or setup page), this
// host's network is neither checked nor handed on: WPS_ER_LEARN <ap-uuid>
// <AP PIN> has the router give its own settings (WPS-ER-AP-SETTINGS, checked
// by router_settings.h: never open, a key a printer can use), which
// wpa_supplicant then hands to the printer it relays; then the press or the
// PIN as above. A router that refuses the AP PIN (WPS-FAIL config_error=18)
// ends the run as a wrong PIN.
//   WPS-ER-ENROLLEE-ADD names the printer; the ER's WPS-SUCCESS is success
//   (kRegistered with that printer); WPS-FAIL as for any registrar.
// Our router leaving UPnP (WPS-ER-AP-REMOVE) is waited for (router_return);
// when it announces itself again, the settings and the press (or the PIN)
// go to it again. Disarm is WPS_ER_STOP: the router drops the ER's selected-registrar state
// when the ER unsubscribes; after a PIN run, WPS_ER_PIN any <a new random PIN>
// then replaces the printer's PIN, which wpa_supplicant would otherwise keep
// for 300 s for any later ER. Never WPS_CANCEL: on a station it disconnects
// this host from its network.
#pragma once

#include <glib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/glib.h"
#include "wps/ctrl_socket.h"
#include "wps/network_key.h"
#include "wps/pin.h"
#include "wps/registrar.h"
#include "wps/saved_network.h"
#include "wps/supplicant_ap_scan.h"

namespace cupswps::wps {

// Where Debian's wpa_supplicant keeps its control sockets (-O DIR=...).
inline constexpr char kSupplicantCtrlDir[] = "/run/wpa_supplicant";

class SupplicantExternalRegistrar final : public WpsRegistrar {
 public:
  struct Options {
    std::chrono::milliseconds router_wait{15000};  // for WPS-ER-AP-ADD, in all
    std::chrono::milliseconds ping_interval{1000};
    std::chrono::milliseconds reply_timeout{2000};
    // The ER's M-SEARCH has MX 3: whoever hears it answers within 3 s, and
    // the ER then fetches its description. After each interval: the routers
    // that answered are chosen from, or, with none, the search is repeated
    // (WPS_ER_START again: a lost UDP answer is not the end).
    std::chrono::milliseconds search_interval{5000};
    std::string router_uuid;  // --router-uuid: only this one (lower case); "": chosen as above
    // The router leaving UPnP during the run (WPS-ER-AP-REMOVE: a restart of
    // its UPnP, a lost keep-alive): it is waited for this long, and armed
    // again when it is back.
    std::chrono::milliseconds router_return{30000};
    // For the router's own settings after WPS_ER_LEARN (a few HTTP round trips).
    std::chrono::milliseconds learn_limit{20000};
    std::chrono::milliseconds press_confirm{2000};  // for state=DONE after a press (learnt settings)
    int press_tries = 5;
    // Why a router may not have answered at all (a firewall here), or "";
    // asked only then.
    std::function<std::string()> silence_hint;
    // The form of the key of this host's network (network_key.h); a raw PSK
    // is refused. Empty: not looked up.
    KeyFormLookup key_form;
    // --network: this saved network of wpa_supplicant's (by SSID, as
    // LIST_NETWORKS shows it) goes to the printer instead of the one this
    // host is on, once a scan has seen the router serve it at 2.4 GHz (the
    // router's UUID in that network's WPS element). "": this host's network.
    std::string network;
    bool (*is_radio)(std::string_view ifname) = &IsRadio;  // where --network's scan can run
    // --network when wpa_supplicant has no saved network of that SSID (the
    // one NetworkManager runs has only the profile in use): a network saved
    // elsewhere, added to wpa_supplicant disabled for this run only
    // (ADD_NETWORK; REMOVE_NETWORK at Disarm). Empty: none looked up.
    SavedNetworkLookup saved_elsewhere;
  };
  // `context` (nullptr: the default one) must outlive the registrar.
  SupplicantExternalRegistrar(GMainContext* context, std::string ctrl_path, Options options);
  ~SupplicantExternalRegistrar() override;

  std::string Describe() const override;
  // Router mode with the router's own settings: its AP PIN, before Arm. It
  // is kept until the router gave its settings (a router that restarts is
  // asked again), and wiped then or at Disarm.
  void UseRouterPin(const Pin& pin);
  void Arm(const Arming& arming, EventSink sink) override;
  void Disarm(bool run_succeeded, std::function<void()> done) override;

  struct Saved;  // --network: what LIST_NETWORKS gave so far (supplicant_er_network.cc)

 private:
  void Send(const std::string& command, std::function<void(const Result<std::string>&)> then);
  std::string Ifname() const;  // the interface of path_ (its last component)
  void OnStatus(const std::string& status);
  void CheckKeyMgmt(const std::string& ssid, const std::string& named);  // network_id_'s; then CheckKey
  void CheckKey(const std::string& ssid, const std::string& named);  // then StartEr
  // --network (supplicant_er_network.cc): its id among the saved networks,
  // then the checks above; once the router is taken, a scan for it.
  void ChooseNetwork();
  void ListNetworks(std::shared_ptr<Saved> saved, int after);  // the page after id `after` (-1: the first)
  void OnSavedNetworks(const Saved& saved);
  void NotSaved(const Saved& saved, const std::string& elsewhere);  // kUnavailable, naming what is saved
  void AddNetwork(std::shared_ptr<SavedNetwork> network);  // the one saved elsewhere, for this run; then StartEr
  void SetNetwork(std::shared_ptr<SavedNetwork> network, const std::string& id, int step);
  void CheckNetworkServed();
  void OnNetworkScan(Result<std::vector<AccessPoint>> seen);
  void SetConfig();  // WPS_ER_SET_CONFIG with network_id_, then Press
  void StartEr();
  void OnRouterSeen(const Event& e);
  bool IsOwnAccessPoint(const Event& router) const;  // its MAC is STATUS's bssid
  void OnSearchTick();  // a search interval is over: choose, or ask again
  void Choose();  // the only router, or none, or several named
  bool Wanted(const Event& router) const;  // --router-uuid's, or this host's access point
  void TakeRouter(const Event& e);
  void OnRouterLeft();
  void Rearm(const Event& e);  // the router is back
  void Learn();  // WPS_ER_LEARN with the router's AP PIN (supplicant_er_learn.cc)
  void OnRouterSettings(std::string_view line);
  void LearnFailed(const Event& e);
  // After a learn, wpa_supplicant may still be talking to the router (its
  // NACK ending the learn), and then skips the SetSelectedRegistrar of the
  // press without a word (wps_er.c: "Pending HTTP request for AP"): the press
  // is made again until the router took it (state=DONE), up to press_tries.
  void Confirm();
  void OnSetSelectedRegistrar(std::string_view line);
  void Press();
  void OnLine(std::string_view line);
  void OnBroken(const Error& error);
  void Overlap(Event e);  // kOverlap, with why when this host was one of the devices
  void Emit(Event event);
  void Unavailable(ErrorCode code, std::string message, std::string detail);
  void Refused(std::string_view command, const Result<std::string>& reply);

  GMainContext* context_;
  std::string path_;
  Options options_;
  EventSink sink_;
  Method method_ = Method::kPushButton;
  SecretString pin_;  // kPin: kept from Arm to Disarm (a router that comes back gets it again)
  SecretString router_pin_;  // the router's AP PIN, until its settings came
  bool learning_ = false;  // WPS_ER_LEARN answered OK; its settings are awaited
  bool learnt_ = false;    // the router's own settings are wpa_supplicant's for it
  SourceGuard learn_timer_;
  SourceGuard confirm_timer_;
  int presses_ = 0;  // presses made since the settings came
  std::unique_ptr<CtrlSocket> socket_;
  std::string network_id_;  // from STATUS
  std::string own_mac_;     // this host's Wi-Fi address, from STATUS
  std::string bssid_;       // the access point this host is associated with, from STATUS
  bool own_push_button_ = false;  // the router reported this host in push-button mode
  std::string router_uuid_;
  Device enrollee_;          // the last one the router relayed (M1=1)
  bool started_ = false;     // WPS_ER_START went out
  bool start_answered_ = false;
  std::vector<Event> routers_;  // every WPS-ER-AP-ADD of this run, also those before WPS_ER_START's answer
  bool armed_ = false;
  bool pin_handed_ = false;  // WPS_ER_PIN went out: replaced at Disarm
  bool disarming_ = false;
  bool ping_pending_ = false;
  int searches_ = 0;         // search intervals over
  bool router_lost_ = false;  // the router taken left UPnP; waited for
  SourceGuard lost_timer_;
  SourceGuard router_timer_;
  SourceGuard ping_timer_;
  std::unique_ptr<SupplicantApScan> network_scan_;  // --network: is it the router's?
  bool network_checked_ = false;  // --network: the scan saw the router serve it at 2.4 GHz
  std::string added_network_;     // --network saved elsewhere: its id in wpa_supplicant, until Disarm
  Poster poster_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // for key_form's answer
};

}  // namespace cupswps::wps
