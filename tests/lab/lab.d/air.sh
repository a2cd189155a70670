# SPDX-License-Identifier: Apache-2.0
# The lab over the air: what changes when cups-wps-lab runs in the radio
# guest (lab.d/radio.sh), where mac80211_hwsim gives real 802.11 radios.
# The commands are the same; what they build differs:
#   - a host that needs Wi-Fi takes one of the guest's free radios into its
#     network namespace (`iw phy … set netns`), as wlan0;
#   - hostapd and wpa_supplicant use nl80211: scans, probes, association,
#     EAPOL and the 4-way handshake happen for real (no injected frames);
#   - ws as the access point (ap-up): hostapd on channel 1, ws's wlan0 has
#     the address AIR_NET.1 and serves DHCP there (busybox udhcpd); ws's
#     avahi-daemon also uses wlan0;
#   - the router (router-up): hostapd on channel 6 on its radio, bridged by
#     hostapd into lan0 with its LAN port; DHCP on lan0 for its stations;
#   - a printer with its own access point (add-printer --own-ap, once ws is a
#     laptop: lab.d/laptop.sh) has Wi-Fi only: hostapd on channel 11 with the
#     lab's AP PIN, its own network 10.199.N.0/24 with DHCP, avahi-daemon and
#     ippeveprinter there from the start;
#   - a printer in setup mode (add-printer --wps) has Wi-Fi only, no eth0:
#     wpa_supplicant with a 2.4 GHz-only frequency list, as most printers;
#     once WPS succeeded and it is connected, it asks for an address over
#     DHCP (busybox udhcpc), then starts avahi-daemon and ippeveprinter there.
# The country is CN (lab.d/radio_guest sets the regulatory domain): 2.4 GHz
# and 5 GHz, no 6 GHz. With US the radios also have the 59 passive-scan
# channels of 6 GHz, and a full scan takes 14 s under TCG (2 s with CN).
# NetworkManager scans a disconnected laptop back to back while its scan
# intervals are shorter than that (3, 4, 6, 9, 13 s...), and wpa_supplicant
# puts its own WPS scan off each time ("Already scanning"): an enrollee run
# then found nothing for 100 s.

AIR_COUNTRY=CN
AIR_24GHZ="2412 2417 2422 2427 2432 2437 2442 2447 2452 2457 2462"
AIR_WS_CHANNEL=1
AIR_ROUTER_CHANNEL=6
AIR_PRINTER_CHANNEL=11

radio_guest() { [ -d /sys/module/mac80211_hwsim ]; }

# ws's network as the access point: 10.(X-100).Y.0/24 for the lab's 10.X.Y.0/24.
air_net() { local rest=${NET#10.}; echo "10.$(( ${rest%%.*} - 100 )).${rest#*.}"; }

# air_take HOST [NAME]: a free radio of the guest becomes HOST's NAME
# (default wlan0), once.
air_take() {
  local h=$1 ns=$ID-$1 name=${2:-wlan0} phy ifc before
  ip -n "$ns" link show "$name" >/dev/null 2>&1 && return 0
  air_links() { ip -n "$ns" -o link show | sed -n 's/^[0-9]*: \([^:@]*\)[:@].*/\1/p' | sort; }
  before=$(air_links)
  {
    flock 9
    phy=$(ls /sys/class/ieee80211 2>/dev/null | sort -V | head -1)
    [ -n "$phy" ] || die "no free radio left in the guest for $h (radio up --radios N)"
    iw phy "$phy" set netns name "$ns" || die "cannot move radio $phy into $h"
  } 9>>"$DIR/radio.lock"
  # The radio's interface: the one link that came with it.
  ifc=$(comm -13 <(echo "$before") <(air_links) | head -1)
  [ -n "$ifc" ] || die "radio $phy has no interface in $h"
  [ "$ifc" = "$name" ] || ip -n "$ns" link set "$ifc" name "$name" || die "cannot name $h's radio $name"
  echo "$phy" >"$DIR/$h/radio-phy-$name"
}

# hostapd's lines for the radio (instead of the wired 802.1X port).
air_hostapd_lines() { # CHANNEL
  printf '%s\n' driver=nl80211 "country_code=$AIR_COUNTRY" hw_mode=g "channel=$1" ieee80211n=1
}

# A DHCP server (busybox udhcpd) on HOST's IFACE for NET.100-199.
air_dhcp_server() { # HOST IFACE NET
  local h=$1 ifc=$2 net=$3
  cat >"$DIR/$h/udhcpd-$ifc.conf" <<EOF
start $net.100
end $net.199
interface $ifc
lease_file $DIR/$h/udhcpd-$ifc.leases
option subnet 255.255.255.0
option lease 3600
EOF
  : >"$DIR/$h/udhcpd-$ifc.leases"
  stop_pidfile "$DIR/pids/$h-udhcpd-$ifc.pid"
  start_daemon "$h" "udhcpd-$ifc" busybox udhcpd -f "$DIR/$h/udhcpd-$ifc.conf"
}

# ws as the access point: its radio, an address there, DHCP, avahi on it.
air_ws_ap() {
  local net; net=$(air_net)
  air_take ws
  ip -n "$ID-ws" addr flush dev wlan0
  ip -n "$ID-ws" addr add "$net.1/24" dev wlan0
  ip -n "$ID-ws" link set wlan0 up multicast on
  air_dhcp_server ws wlan0 "$net"
  if ! grep -q '^allow-interfaces=.*\bwlan0\b' "$DIR/ws/avahi-daemon.conf"; then
    sed -i 's/^allow-interfaces=.*/&,wlan0/' "$DIR/ws/avahi-daemon.conf"
    stop_avahi ws; start_avahi ws
  fi
}

# router-up --dual-band: a second radio (wlan1) with the router's 5 GHz
# network on channel 36, a second hostapd bridging it into lan0 as well. The
# same WPS device (UUID), without UPnP: the External Registrar reaches the
# 2.4 GHz one. Its control socket: WPS_CTRL_DIR/wlan1 in the router.
AIR_ROUTER_5GHZ_CHANNEL=36
air_router_5ghz() {
  local h=$ROUTER
  air_take "$h" wlan1
  ip -n "$ID-$h" link set wlan1 up
  stop_pidfile "$DIR/pids/$h-hostapd-5.pid"
  {
    printf '%s\n' interface=wlan1 bridge=lan0 driver=nl80211 "country_code=$AIR_COUNTRY" hw_mode=a \
      "channel=$AIR_ROUTER_5GHZ_CHANNEL" ieee80211n=1 "ctrl_interface=$WPS_CTRL_DIR" ctrl_interface_group=0 \
      logger_stdout=-1 logger_stdout_level=1 eap_server=1 "ssid=$ROUTER_SSID_5" wpa=2 wpa_key_mgmt=WPA-PSK \
      rsn_pairwise=CCMP "wpa_passphrase=$ROUTER_PASSPHRASE" wps_state=2 ap_setup_locked=1
    wps_device_lines "$ROUTER_UUID" "Lab Router" hostapd-wired "$h" 6-0050F204-1 "label display push_button keypad"
  } >"$DIR/$h/hostapd-5.conf"
  : >"$DIR/$h/log/hostapd-5.log"
  start_daemon "$h" hostapd-5 hostapd -t -d "$DIR/$h/hostapd-5.conf"
  HOSTAPD_IFACE=wlan1 wait_until 10 hostapd_cli_on "$h" ping ||
    die "the router's 5 GHz hostapd did not start: $(tail -5 "$DIR/$h/log/hostapd-5.log")"
  touch "$DIR/$h/dual-band"
}

# The router's radio: hostapd bridges it into lan0; DHCP for its stations.
air_router() {
  air_take "$ROUTER"
  ip -n "$ID-$ROUTER" link set wlan0 up
  air_dhcp_server "$ROUTER" lan0 "$NET"
}

air_supplicant_conf() { # HOST: a printer's wpa_supplicant over the air
  local h=$1 n; n=$(cat "$DIR/hosts/$h")
  mkdir -p "$DIR/$h/wpas"
  cat >"$DIR/$h/wpa_supplicant.conf" <<EOF
ctrl_interface=DIR=$DIR/$h/wpas GROUP=root
country=$AIR_COUNTRY
update_config=1
# A 2.4 GHz-only printer: it neither scans nor joins anything else.
freq_list=$AIR_24GHZ
$(wps_device_lines "$(printf '22222222-3333-4444-5555-%012x' "$n")" "Lab Printer $h" wpas-nl80211 "$h" 3-0050F204-1 \
    "display keypad push_button virtual_push_button")
wps_cred_processing=2
EOF
}

# A printer host with Wi-Fi only: off the LAN, a radio as wlan0, avahi-daemon
# (stopped; started again by the caller) on wlan0.
air_wifi_only_host() { # HOST
  local h=$1
  wps_need
  stop_avahi "$h"
  ip -n "$HUB" link del "vh$(cat "$DIR/hosts/$h")"
  air_take "$h"
  sed -i 's/^allow-interfaces=.*/allow-interfaces=wlan0/' "$DIR/$h/avahi-daemon.conf"
}

# Called by setup_mode_printer in the guest: a printer fresh out of the box.
air_setup_mode_printer() { # HOST NO_IPP
  local h=$1 no_ipp=$2
  air_wifi_only_host "$h"
  [ -n "$no_ipp" ] && touch "$DIR/$h/no-ipp"
  router_exists && touch "$DIR/$h/on-router"
  echo wlan0 >"$DIR/$h/wpas-iface"
  air_supplicant_conf "$h"
  wps_supplicant_start "$h" nl80211
  printer_firmware "$h"
}

air_connected() { wps_cli "$1" status | grep -qx wpa_state=COMPLETED; }

# Called by cmd_join in the guest: connected with the network WPS gave it,
# the printer asks for an address.
air_join_address() { # HOST
  local h=$1
  wait_until 60 air_connected "$h" ||
    die "printer host $h did not connect after WPS: $(wps_cli "$h" status | grep wpa_state)"
  cat >"$DIR/$h/udhcpc.sh" <<'EOF'
#!/bin/sh
case $1 in
  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/${mask:-24}" dev "$interface";;
esac
EOF
  chmod 755 "$DIR/$h/udhcpc.sh"
  in_host "$h" busybox udhcpc -i wlan0 -n -q -f -t 20 -T 1 -s "$DIR/$h/udhcpc.sh" >>"$DIR/$h/log/udhcpc.log" 2>&1 ||
    die "printer host $h got no address over DHCP: $(tail -3 "$DIR/$h/log/udhcpc.log")"
  ip -n "$ID-$h" -4 -br addr show dev wlan0 | awk '{print $3}' >"$DIR/$h/address"
}

# Called by own_ap_printer in the guest: the printer's own access point.
air_own_ap_printer() { # HOST NO_IPP MANAGER
  local h=$1 no_ipp=$2 n net; n=$(cat "$DIR/hosts/$h"); net=$(own_net "$n")
  laptop || die "add-printer --own-ap over the air: make ws a laptop first (router-up, laptop-up)"
  [ "${3:-networkd}" = networkd ] || [ "$3" = networkmanager ] || die "--ws-manager: over the air, ws's NetworkManager is the real one"
  air_wifi_only_host "$h"
  ip -n "$ID-$h" addr add "$net.1/24" dev wlan0
  ip -n "$ID-$h" link set wlan0 up multicast on
  printf '127.0.0.1 localhost\n%s %s\n' "$net.1" "$h" >"$DIR/$h/hosts"
  HOSTAPD_CHANNEL=$AIR_PRINTER_CHANNEL cmd_ap_up "$h" >/dev/null
  air_dhcp_server "$h" wlan0 "$net"
  start_avahi "$h"
  [ -n "$no_ipp" ] || start_ippeveprinter "$h"
  echo wlan0 >"$DIR/$h/own-ap-link"   # ws's interface to its network: its Wi-Fi
}
