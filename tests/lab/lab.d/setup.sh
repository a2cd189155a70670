# SPDX-License-Identifier: Apache-2.0
# Printers in setup mode for cups-wps-lab: a printer host whose Wi-Fi stack
# is wpa_supplicant (-Dwired, WPS enrollee) and that has no address, no
# avahi-daemon and no ippeveprinter until a WPS run succeeds, as a real
# printer joining a network (needs lab.d/wps.sh, and `ap-up` on ws, or the
# router of lab.d/router.sh).
#
#   add-printer NAME --wps [--no-ipp] [...]
#       a printer in setup mode (see cups-wps-lab); --no-ipp: it joins but
#       never advertises IPP (a printer whose network settings are wrong)
#   join HOST     what the printer does once WPS succeeded: its address,
#                 avahi-daemon, ippeveprinter (run by the printer's watcher)

# Called by cmd_add_printer for --wps, after the host exists.
setup_mode_printer() { # HOST NO_IPP
  if radio_guest; then air_setup_mode_printer "$@"; return; fi   # lab.d/air.sh
  local h=$1 no_ipp=$2
  wps_need
  wps_bridge
  stop_avahi "$h"
  ip -n "$ID-$h" addr flush dev eth0
  # Stations reach the access point but not each other, as on Wi-Fi. With
  # a router in the lab, the printer is within reach of the router's radio
  # (lab.d/router.sh), not on the LAN.
  if router_exists; then
    router_radio_attach "$h"
  else
    ip -n "$HUB" link set "vh$(cat "$DIR/hosts/$h")" type bridge_slave isolated on
  fi
  [ -n "$no_ipp" ] && touch "$DIR/$h/no-ipp"
  wps_supplicant_conf "$h" ""
  # On the router's radio the printer checks the network it received: it
  # keeps it in its configuration (update_config), join reads it there.
  [ -f "$DIR/$h/on-router" ] && echo update_config=1 >>"$DIR/$h/wpa_supplicant.conf"
  wps_supplicant_start "$h" wired
  printer_firmware "$h"
  router_radio "$h"
}

printer_firmware() { # HOST
  local h=$1
  # The printer's firmware: on WPS-SUCCESS it joins the network. wpa_cli runs
  # in the lab's own namespace (the control socket is a file in $DIR), so
  # that its action can use the lab's commands.
  local action="$DIR/$h/on-wps-event.sh"
  {
    echo '#!/bin/sh'
    echo '# $1: interface, $2: event'
    echo '[ "$2" = WPS-SUCCESS ] || exit 0'
    echo "CUPS_WPS_LAB_ID=$ID CUPS_WPS_LAB_DIR=$DIR CUPS_WPS_LAB_QUIET=1 exec $LAB_SELF join $h >>$DIR/$h/log/join.log 2>&1"
  } >"$action"
  chmod 755 "$action"
  wpa_cli -p "$DIR/$h/wpas" -i "$(wpas_iface "$h")" -a "$action" >>"$DIR/$h/log/firmware.log" 2>&1 &
  echo $! >"$DIR/pids/$h-firmware.pid"
}

cmd_join() {
  local h=${1:?host}
  host_exists "$h" || die "no host $h"
  [ -f "$DIR/$h/joined" ] && return 0
  # Given a network other than the router's, it would never get on the LAN.
  if [ -f "$DIR/$h/on-router" ] && ! router_network_received "$h"; then
    die "printer host $h received a network that is not the router's: it does not join"
  fi
  touch "$DIR/$h/joined"
  if radio_guest; then
    air_join_address "$h"   # lab.d/air.sh: DHCP once connected
  else
    ip -n "$ID-$h" addr add "$NET.$(cat "$DIR/hosts/$h")/24" dev eth0
  fi
  start_avahi "$h"
  [ -f "$DIR/$h/no-ipp" ] || start_ippeveprinter "$h"
  say "printer host $h joined the network"
}

# ---------------------------------------------------------------- own access point
# A printer that runs its own access point (as many do before they are set
# up): hostapd on its only link, a link to ws alone ("wl<N>" on ws, as a
# Wi-Fi interface would be), with the lab's AP PIN (printed on its label) and
# push button; its avahi-daemon and ippeveprinter run from the start. ws's
# wpa_supplicant manages wl<N> (its configuration has update_config=1, as a
# desktop's does); ws has no address there until one of ws's network
# managers has joined the printer's network:
#   networkd        (default) a stand-in for systemd-networkd: it says it
#                   manages wl<N> and gives ws its address once wpa_supplicant
#                   was told to join a network there (lab.d/ws_networkd.py);
#   networkmanager  python-dbusmock's NetworkManager (lab.d/ws_networkmanager.py):
#                   wl<N> is its device, connected to a network "Home"; a
#                   profile activated on it gives ws the address;
#   iwd             iwd says wl<N> is its device (lab.d/ws_iwd.py); nothing
#                   gives ws an address;
#   none            nothing manages wl<N> but wpa_supplicant.
# The stand-ins run on ws's own D-Bus, inside ws's namespaces, with their
# call logs sent to /dev/null (a profile carries the network's key).
#
#   add-printer NAME --own-ap [--no-ipp] [--ws-manager networkd|networkmanager|iwd|none]
#                                prints the host; --no-ipp: no ippeveprinter
#   own-ap-link NAME             ws's interface to its network

own_net() { echo "10.199.$(( $1 % 250 ))"; }

ws_supplicant() {
  if [ -f "$DIR/pids/ws-wpa_supplicant.pid" ] && alive "$(cat "$DIR/pids/ws-wpa_supplicant.pid")"; then return 0; fi
  : >"$DIR/ws/log/wpa_supplicant.log"
  start_daemon ws wpa_supplicant wpa_supplicant -t -d -u
  wait_until 10 in_host ws gdbus call --system --dest fi.w1.wpa_supplicant1 \
    --object-path /fi/w1/wpa_supplicant1 --method org.freedesktop.DBus.Peer.Ping ||
    die "wpa_supplicant on ws is not on D-Bus: $(tail -5 "$DIR/ws/log/wpa_supplicant.log")"
}

# ws_interface IFACE CTRL_DIR INDEX: ws's wpa_supplicant takes IFACE (driver
# wired, control socket in CTRL_DIR, WSC UUID from INDEX); more lines of its
# configuration (network blocks, global settings), if any, come from stdin.
# Prints the interface's D-Bus object path.
ws_interface() {
  local link=$1 ctrl=$2 n=$3 conf=$DIR/ws/wpa_supplicant-$1.conf path
  ws_supplicant
  ( umask 077; cat >"$conf" ) <<EOC
ctrl_interface=DIR=$ctrl GROUP=root
ap_scan=0
eapol_version=2
fast_reauth=0
$(wps_device_lines "$(printf '33333333-4444-5555-6666-%012x' "$n")" "Lab Workstation" wpas-wired ws 1-0050F204-1 \
    "display keypad push_button virtual_push_button")
$(cat)
EOC
  path=$(in_host ws gdbus call --system --dest fi.w1.wpa_supplicant1 --object-path /fi/w1/wpa_supplicant1 \
    --method fi.w1.wpa_supplicant1.CreateInterface \
    "{'Ifname': <'$link'>, 'Driver': <'wired'>, 'ConfigFile': <'$conf'>}") ||
    die "wpa_supplicant on ws cannot take $link: $(tail -5 "$DIR/ws/log/wpa_supplicant.log")"
  path=$(printf '%s' "$path" | sed -n "s/^(objectpath '\([^']*\)',)$/\1/p")
  [ -n "$path" ] || die "wpa_supplicant on ws gave no interface for $link"
  echo "$path"
}

# ws_manager MANAGER LINK ADDRESS: MANAGER (see above) manages ws's LINK and
# gives ws ADDRESS there once joined. One stand-in process per manager.
ws_manager() {
  local m=$1 link=$2 address=$3 name path
  case $m in
    none) return 0;;
    networkd) name=org.freedesktop.network1 path=/org/freedesktop/network1;;
    networkmanager) name=org.freedesktop.NetworkManager path=/org/freedesktop;;
    iwd) name=net.connman.iwd path=/;;
    *) die "--ws-manager takes networkd, networkmanager, iwd or none";;
  esac
  local add=(gdbus call --system --dest "$name" --object-path "$path" --method org.freedesktop.DBus.Mock.AddLabLink
             "$link" "$address")
  if ! { [ -f "$DIR/pids/ws-$m.pid" ] && alive "$(cat "$DIR/pids/ws-$m.pid")"; }; then
    /usr/bin/python3 -c 'import dbusmock' 2>/dev/null || die "missing python3-dbusmock (the stand-ins of ws's network managers)"
    start_daemon ws "$m" /usr/bin/python3 -m dbusmock --system -t "$(dirname "$LAB_SELF")/lab.d/ws_$m.py" \
      -l /dev/null -p "{\"lab_dir\": \"$DIR\"}"
    wait_until 10 in_host ws gdbus introspect --system --dest "$name" --object-path "$path" ||
      die "ws's $m stand-in did not start: $(tail -5 "$DIR/ws/log/$m.log")"
  fi
  in_host ws "${add[@]}" >/dev/null || die "ws's $m stand-in did not take $link"
}

own_ap_printer() { # HOST NO_IPP MANAGER
  if radio_guest; then air_own_ap_printer "$@"; return; fi   # lab.d/air.sh
  local h=$1 no_ipp=$2 manager=${3:-networkd} n; n=$(cat "$DIR/hosts/$h")
  local link=wl$n net; net=$(own_net "$n")
  wps_need
  stop_avahi "$h"
  # Off the lab's LAN: its eth0 becomes a link to ws only.
  ip -n "$HUB" link del "vh$n"
  ip -n "$ID-$h" link add eth0 type veth peer name "$link" netns "$ID-ws"
  ip -n "$ID-$h" link set eth0 address "02:00:00:00:$(printf %02x "$n"):01"
  ip -n "$ID-$h" addr add "$net.1/24" dev eth0
  ip -n "$ID-$h" link set eth0 up multicast on
  # ws is not on that network yet: no IPv4 address and no IPv6 until it joins.
  ip netns exec "$ID-ws" sysctl -qw "net.ipv6.conf.$link.disable_ipv6=1"
  ip -n "$ID-ws" link set "$link" up multicast on
  printf '127.0.0.1 localhost\n%s %s\n' "$net.1" "$h" >"$DIR/$h/hosts"
  start_avahi "$h"
  cmd_ap_up "$h" >/dev/null
  [ -n "$no_ipp" ] || start_ippeveprinter "$h"
  # ws: its wpa_supplicant takes the link (update_config=1, as on a desktop:
  # nothing may be written into its configuration); its avahi-daemon may use it.
  mkdir -p "$DIR/ws/wpas"
  ws_interface "$link" "$DIR/ws/wpas" "$n" <<<"update_config=1" >/dev/null || exit 1
  ws_manager "$manager" "$link" "$net.2/24"
  grep -q "^allow-interfaces=.*\b$link\b" "$DIR/ws/avahi-daemon.conf" ||
    sed -i "s/^allow-interfaces=.*/&,$link/" "$DIR/ws/avahi-daemon.conf"
  stop_avahi ws
  start_avahi ws
  echo "$link" >"$DIR/$h/own-ap-link"
}

cmd_own_ap_link() { # NAME: ws's interface to the printer's own access point
  local h; h=$(name_to_host "${1:?printer}")
  cat "$DIR/$h/own-ap-link" 2>/dev/null || die "'$1' has no access point of its own"
}
