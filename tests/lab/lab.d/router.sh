# SPDX-License-Identifier: Apache-2.0
# The home router for cups-wps-lab: the access point of most homes, a box of
# its own on the LAN, with WPS and (unless switched off) the WFA UPnP WPS
# service through which an External Registrar (ER) on ws can drive it.
#
#   router-up [--no-upnp] [--dual-band] [--wpa3]
#                           the host "router" (LAN address .1) and its hostapd
#                           (driver=wired, WPS, the WPA2 network "lab-router")
#                           on its radio wlan0, which it bridges (lan0) with
#                           its LAN port; UPnP WPS on lan0 (upnp_iface) unless
#                           --no-upnp. ws gets a wpa_supplicant on its eth0
#                           that holds the router's network, as a desktop's
#                           does; prints its control socket (inside ws), where
#                           the ER commands are. With the router up already:
#                           restarts its hostapd with that UPnP setting.
#                           --dual-band (radio guest only): also the 5 GHz
#                           network "lab-router-5G" on a second radio
#                           (lab.d/air.sh). --wpa3 (radio guest only): the
#                           network in WPA2/WPA3 transition mode (WPA-PSK and
#                           SAE, management frame protection optional).
#                           Either stays for later router-ups.
#   router-info             key=value lines: the router's address, radio MAC
#                           (bssid), UUID, SSID, UPnP on or off, control
#                           sockets, the id of the network ws holds, and the
#                           file (mode 600) with its AP PIN, as on its label
#   router-button           the router's WPS button (same as: ap-pbc router)
#   router-pin [SECONDS]    the PIN read from stdin, typed into the router's
#                           own setup page (same as: ap-pin router SECONDS)
#   extender-up             another device on the LAN that answers as a WPS
#                           router over UPnP, as mesh nodes, extenders and a
#                           Linux box with hostapd do: the host "extender"
#                           (its own address), hostapd with UPnP WPS on its
#                           LAN port and the SSID "lab-extender", its 802.1X
#                           side on a port that reaches nobody (wired also in
#                           the radio guest: no radio is needed for UPnP).
#                           Prints its UUID.
#   station-psk hex|passphrase
#                           the key ws keeps for the router's network: its
#                           passphrase, or the 64 hex digits wpa_passphrase
#                           makes of it (a raw PSK, which wpa_supplicant
#                           keeps as 32 bytes). On the wire, in ws's
#                           wpa_supplicant configuration file (reconfigure);
#                           on a laptop in NetworkManager's profile "Home"
#                           (reconnected) or wpa_supplicant's file (networkd).
#
# Once the lab has a router, printers in setup mode (add-printer --wps) are
# within reach of its radio instead of on the LAN: they pair with the router,
# and once paired they are on the LAN through it, with their own MAC.
#
# The radio: a bridge "air0" in the hub whose ports are the router's wlan0
# and the printers' eth0 (isolated from each other, as Wi-Fi stations are).
# EAPOL crosses it (group_fwd_mask), never the router's lan0: the router's
# hostapd hears only its radio, ws's hostapd (ap-up) only the LAN.
#
# The one synthetic part: hostapd relays an ER's messages only to a station
# whose (Re)Association Request carried a WPS IE, and driver=wired sees no
# association. So when a printer's WPS run starts (press-button, enter-pin,
# show-pin), its radio's Probe Request, Authentication and Association
# Request are injected into the router's hostapd with its testing commands
# (ext_mgmt_frame_handling, MGMT_RX_PROCESS; lab.d/wlan.py builds the
# frames). A hostapd that refuses them fails the command.

ROUTER=router
ROUTER_SSID=lab-router
ROUTER_SSID_5=lab-router-5G                    # router-up --dual-band: its 5 GHz network
ROUTER_PASSPHRASE=router-passphrase-5d31e8b4   # the tests check it is never printed
ROUTER_UUID=12345678-9abc-def0-1234-0000000000a1
ROUTER_RADIO_MAC=02:00:00:00:01:02
WS_CTRL_DIR=/run/wpa_supplicant               # inside ws, as Debian's wpa_supplicant has it

router_exists() { host_exists "$ROUTER"; }

# The router's host: eth0 (its LAN port, on the hub's bridge) and wlan0 (its
# radio, on air0) are the ports of its bridge lan0, which has its address.
# In the radio guest, wlan0 is a real radio that hostapd bridges (lab.d/air.sh).
router_host() {
  local ns=$ID-$ROUTER
  add_host "$ROUTER" 1
  stop_avahi "$ROUTER"
  ip -n "$ns" addr flush dev eth0
  ip -n "$ns" link add lan0 type bridge || die "cannot make the router's bridge"
  ip -n "$ns" link set lan0 type bridge mcast_snooping 0
  ip -n "$ns" link set lan0 address "$(ip -n "$ns" -br link show eth0 | awk '{print $3}')"
  ip -n "$ns" link set eth0 master lan0
  ip -n "$ns" addr add "$NET.1/24" dev lan0
  ip -n "$ns" link set lan0 up multicast on
  if radio_guest; then air_router; return; fi
  ip -n "$HUB" link add air0 type bridge || die "cannot make the router's radio"
  ip -n "$HUB" link set air0 type bridge group_fwd_mask 8 mcast_snooping 0
  ip -n "$HUB" link set air0 up
  ip -n "$HUB" link add vr1 type veth peer name wlan0 netns "$ns"
  ip -n "$HUB" link set vr1 master air0 up
  ip -n "$ns" link set wlan0 address "$ROUTER_RADIO_MAC"
  ip -n "$ns" link set wlan0 master lan0 up
}

router_hostapd() { # UPNP (non-empty: on)
  local lines=()
  # WPA2/WPA3 transition mode: SAE needs management frame protection.
  [ -f "$DIR/$ROUTER/wpa3" ] && lines+=("wpa_key_mgmt=WPA-PSK SAE" ieee80211w=1 sae_require_mfp=1)
  [ -n "$1" ] && lines+=(upnp_iface=lan0 "friendly_name=Lab Router" "model_description=cups-wps lab router"
                       manufacturer_url=http://example.invalid/ model_url=http://example.invalid/router)
  radio_guest && lines+=(bridge=lan0)   # lab.d/air.sh: hostapd puts its radio into the LAN bridge
  HOSTAPD_CHANNEL=$AIR_ROUTER_CHANNEL hostapd_start "$ROUTER" wlan0 "$ROUTER_SSID" "$ROUTER_PASSPHRASE" "$ROUTER_UUID" \
    "Lab Router" "${lines[@]}"
  if [ -n "$1" ]; then echo yes; else echo no; fi >"$DIR/$ROUTER/upnp"
  # The router's label: its AP PIN, for setup --router-pin-file (mode 600).
  (umask 077; echo "$WPS_AP_PIN" >"$DIR/$ROUTER/ap-pin")
}

# ws's wpa_supplicant holds the router's network on eth0 (wired: it stays
# ASSOCIATED, there is no 4-way handshake), control socket in WS_CTRL_DIR.
ws_station() {
  laptop && return 0   # NetworkManager holds it (lab.d/laptop.sh)
  in_host ws test -S "$WS_CTRL_DIR/eth0" && return 0
  ws_interface eth0 "$WS_CTRL_DIR" "$(cat "$DIR/hosts/ws")" >/dev/null <<EOC || exit 1
network={
	ssid="$ROUTER_SSID"
	psk="$ROUTER_PASSPHRASE"
	key_mgmt=WPA-PSK
}
EOC
  wait_until 10 ws_network_id || die "ws's wpa_supplicant does not hold the router's network: $(ws_cli status)"
}

# ws's station interface: eth0 on the wire, wlan0 on a laptop (lab.d/laptop.sh).
ws_station_iface() { if laptop; then echo wlan0; else echo eth0; fi; }
ws_cli() { in_host ws wpa_cli -p "$WS_CTRL_DIR" -i "$(ws_station_iface)" "$@"; }
ws_network_id() { ws_cli list_networks | awk -F'\t' '$4 ~ /\[CURRENT\]/ {print $1; f=1} END {exit !f}'; }

cmd_router_up() {
  local upnp=1 dual="" wpa3=""
  while [ $# -gt 0 ]; do
    case $1 in
      --no-upnp) upnp=""; shift;;
      --dual-band) dual=1; shift;;
      --wpa3) wpa3=1; shift;;
      *) die "router-up: unknown option $1";;
    esac
  done
  [ -z "$dual" ] || radio_guest || die "router-up --dual-band: only in the radio guest (cups-wps-lab radio)"
  [ -z "$wpa3" ] || radio_guest || die "router-up --wpa3: only in the radio guest (cups-wps-lab radio)"
  wps_need
  router_exists || router_host
  [ -z "$wpa3" ] || touch "$DIR/$ROUTER/wpa3"
  router_hostapd "$upnp"
  # Once dual-band, a restarted router stays so (lab.d/air.sh).
  if [ -n "$dual" ] || [ -f "$DIR/$ROUTER/dual-band" ]; then air_router_5ghz; fi
  ws_station
  # A laptop (lab.d/laptop.sh) lost the router with its restart: back on it.
  if laptop; then wait_until 90 laptop_online || die "ws (a laptop) did not get back onto the router's network"; fi
  say "router $NET.1 (UPnP WPS: $(cat "$DIR/$ROUTER/upnp")); ws's wpa_supplicant: $WS_CTRL_DIR/$(ws_station_iface) inside ws"
  echo "$WS_CTRL_DIR/$(ws_station_iface)"
}

cmd_router_info() {
  router_exists || die "the lab has no router (run: cups-wps-lab router-up)"
  local bssid=$ROUTER_RADIO_MAC
  radio_guest && bssid=$(in_host "$ROUTER" cat /sys/class/net/wlan0/address)
  printf '%s\n' "host=$ROUTER" "address=$NET.1" "bssid=$bssid" "ap_uuid=$ROUTER_UUID" \
    "ssid=$ROUTER_SSID" "upnp=$(cat "$DIR/$ROUTER/upnp")" "router_ctrl=$WPS_CTRL_DIR/wlan0" \
    "ws_ctrl=$WS_CTRL_DIR/$(ws_station_iface)" "ws_network_id=$(ws_network_id)" "ap_pin_file=$DIR/$ROUTER/ap-pin"
}

EXTENDER=extender
EXTENDER_UUID=12345678-9abc-def0-1234-0000000000e1
EXTENDER_MAC=02:00:00:00:0e:01   # the MAC its UPnP device reports (hostapd's own address)

cmd_extender_up() {
  wps_need
  router_exists || die "extender-up: the lab has no router (run: cups-wps-lab router-up)"
  local ns=$ID-$EXTENDER
  if ! host_exists "$EXTENDER"; then
    add_host "$EXTENDER" "$(next_index)" >/dev/null
    stop_avahi "$EXTENDER"
    # Its 802.1X port: a veth pair inside the host, so its EAPOL reaches nobody.
    ip -n "$ns" link add wlan0 type veth peer name wlan0-peer || die "cannot make the extender's port"
    ip -n "$ns" link set wlan0 address "$EXTENDER_MAC"
    ip -n "$ns" link set wlan0 up
    ip -n "$ns" link set wlan0-peer up
  fi
  HOSTAPD_WIRED=1 hostapd_start "$EXTENDER" wlan0 lab-extender extender-passphrase-0c7e "$EXTENDER_UUID" \
    "Lab Extender" upnp_iface=eth0 "friendly_name=Lab Extender" "model_description=cups-wps lab extender" \
    manufacturer_url=http://example.invalid/ model_url=http://example.invalid/extender
  echo "$EXTENDER_UUID"
}

cmd_station_psk() {
  local psk conf
  case ${1:-} in
    hex) psk=$(wpa_passphrase "$ROUTER_SSID" "$ROUTER_PASSPHRASE" | sed -n 's/^\tpsk=//p')
         [ ${#psk} = 64 ] || die "station-psk: wpa_passphrase gave no PSK";;
    passphrase) psk=\"$ROUTER_PASSPHRASE\";;
    *) die "station-psk: hex or passphrase";;
  esac
  router_exists || die "station-psk: the lab has no router (run: cups-wps-lab router-up)"
  if laptop && ! laptop_networkd; then
    laptop_nm connection modify Home wifi-sec.psk "${psk//\"/}" >/dev/null &&
      laptop_nm connection up Home >/dev/null || die "station-psk: NetworkManager did not take the key"
    wait_until 60 laptop_online || die "station-psk: the laptop did not get back onto the router's network"
    return 0
  fi
  if laptop; then conf=$DIR/ws/wpa_supplicant-wlan0.conf; else conf=$DIR/ws/wpa_supplicant-eth0.conf; fi
  [ -f "$conf" ] || die "station-psk: no $conf"
  sed -i "s/^\tpsk=.*/\tpsk=$psk/" "$conf"
  [ "$(ws_cli reconfigure)" = OK ] || die "station-psk: ws's wpa_supplicant did not read $conf again"
  if laptop; then
    wait_until 60 laptop_online || die "station-psk: the laptop did not get back onto the router's network"
  else
    wait_until 10 ws_network_id || die "ws's wpa_supplicant does not hold the router's network: $(ws_cli status)"
  fi
}

cmd_router_button() { cmd_ap_pbc "$ROUTER"; }
cmd_router_pin() { cmd_ap_pin "$ROUTER" "$@"; }

# Called by setup_mode_printer: the printer's eth0 reaches the router's radio.
router_radio_attach() { # HOST
  local port; port=vh$(cat "$DIR/hosts/$1")
  ip -n "$HUB" link set "$port" master air0 || die "cannot put $1 within reach of the router"
  ip -n "$HUB" link set "$port" type bridge_slave isolated on
  touch "$DIR/$1/on-router"
}

router_forgot() { # HOST: the router has no station entry for it
  local sta; sta=$(in_host "$1" cat /sys/class/net/eth0/address) || return 1
  case $(hostapd_cli_on "$ROUTER" sta "$sta") in ''|FAIL*) return 0;; *) return 1;; esac
}

# router_radio HOST: the printer's radio for as long as it is in setup mode.
# A WPS run that fails (no registrar yet: M2D) ends with the router dropping
# the station; the printer tries again while its WPS window lasts, and a
# radio associates anew for every try. So: after a disconnect, the next
# association of the printer's wpa_supplicant is injected into the router
# again (the first one is made by router_associate when the run starts).
router_radio() {
  local h=$1
  [ -f "$DIR/$h/on-router" ] || return 0
  local fifo=$DIR/$h/radio.fifo
  rm -f "$fifo" && mkfifo -m 600 "$fifo" || die "cannot make $fifo"
  # Two processes, each recorded by PID: the event monitor and the radio.
  # In the printer's namespaces: the daemon answers an abstract address there.
  ( IN_HOST_EXEC=1 in_host "$h" /usr/bin/python3 "$WLAN_PY" monitor "$DIR/$h/wpas/eth0" ) \
    >"$fifo" 2>>"$DIR/$h/log/radio.log" &
  echo $! >"$DIR/pids/$h-radio-monitor.pid"
  (
    retry=0
    while IFS= read -r line; do
      case $line in
        # The printer's WPS run is over: its radio no longer probes with WPS
        # (after a success it reconnects with the network it received).
        WPS-SUCCESS*|WPS-TIMEOUT*|WPS-CANCEL*) rm -f "$DIR/$h/wps-mode"; retry=0;;
        CTRL-EVENT-DISCONNECTED*) retry=1;;
        "Associated with"*)
          if [ $retry = 1 ] && [ -f "$DIR/$h/wps-mode" ] && [ ! -f "$DIR/$h/joined" ]; then
            # The router drops the failed try's station a few seconds after
            # the failure; associate once it has, before the next try.
            wait_until 15 router_forgot "$h" || echo "the router still holds the station"
            if ( router_associate "$h" "$(cat "$DIR/$h/wps-mode")" ); then echo "associated again"; fi
          fi
          retry=0;;
      esac
    done <"$fifo"
  ) >>"$DIR/$h/log/radio.log" 2>&1 &
  echo $! >"$DIR/pids/$h-radio.pid"
}

# Did WPS give the printer the router's network? (join asks)
router_network_received() { # HOST
  printf '%s\n' "$ROUTER_PASSPHRASE" |
    /usr/bin/python3 "$WLAN_PY" cred-ok "$DIR/$1/wpa_supplicant.conf" "$ROUTER_SSID"
}

# router_associate HOST pin|pbc: what the printer's radio does when its WPS
# run starts: a Probe Request, then Authentication and Association with the
# router (see above). Nothing for a printer that is not on the router's radio.
router_associate() {
  local h=$1 dpid=0 sta uuid name frames f out
  [ -f "$DIR/$h/on-router" ] || return 0
  radio_guest && return 0   # over the air the printer's radio associates by itself
  echo "$2" >"$DIR/$h/wps-mode"   # for router_radio's retries
  hostapd_running "$ROUTER" || { say "the router's hostapd is not running: $h finds no router"; return 0; }
  [ "$2" = pbc ] && dpid=4
  sta=$(in_host "$h" cat /sys/class/net/eth0/address) || die "no MAC for $h"
  uuid=$(sed -n 's/^uuid=//p' "$DIR/$h/wpa_supplicant.conf")
  name=$(sed -n 's/^device_name=//p' "$DIR/$h/wpa_supplicant.conf")
  mapfile -t frames < <(/usr/bin/python3 "$WLAN_PY" frames "$ROUTER_RADIO_MAC" "$sta" "$ROUTER_SSID" \
                          "$uuid" "$dpid" "$name" "$h")
  [ ${#frames[@]} -eq 3 ] || die "no 802.11 frames for $h"
  # One radio: one injection at a time (fd 9 is the lock).
  {
    flock 9
    out=$(hostapd_cli_on "$ROUTER" set ext_mgmt_frame_handling 1)
    [ "$out" = OK ] || die "the router's hostapd refused ext_mgmt_frame_handling: $out"
    for f in "${frames[@]}"; do
      out=$(hostapd_cli_on "$ROUTER" raw MGMT_RX_PROCESS freq=2412 datarate=10 ssi_signal=-30 "frame=$f")
      [ "$out" = OK ] || break
    done
    hostapd_cli_on "$ROUTER" set ext_mgmt_frame_handling 0 >/dev/null
    [ "$out" = OK ] || die "the router's hostapd refused the frames of $h (MGMT_RX_PROCESS: $out)"
  } 9>>"$DIR/$ROUTER/radio.lock"
  out=$(hostapd_cli_on "$ROUTER" sta "$sta" | grep '^flags=')
  case $out in *'[WPS]'*) ;; *) die "the router's hostapd did not take $h as a WPS station (${out:-no station})";; esac
}
