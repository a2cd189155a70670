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
  : >"$DIR/$h/log/wpa_supplicant.log"
  start_daemon "$h" wpa_supplicant wpa_supplicant -t -d -Dwired -i eth0 -c "$DIR/$h/wpa_supplicant.conf"
  wait_until 10 in_host "$h" wpa_cli -p "$DIR/$h/wpas" -i eth0 ping ||
    die "wpa_supplicant on $h did not start: $(tail -5 "$DIR/$h/log/wpa_supplicant.log")"
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
  wpa_cli -p "$DIR/$h/wpas" -i eth0 -a "$action" >>"$DIR/$h/log/firmware.log" 2>&1 &
  echo $! >"$DIR/pids/$h-firmware.pid"
  router_radio "$h"
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
  ip -n "$ID-$h" addr add "$NET.$(cat "$DIR/hosts/$h")/24" dev eth0
  start_avahi "$h"
  [ -f "$DIR/$h/no-ipp" ] || start_ippeveprinter "$h"
  say "printer host $h joined the network"
}

# ---------------------------------------------------------------- own access point
# A printer that runs its own access point (as many do before they are set
# up): hostapd on its only link, a link to ws alone ("wl<N>" on ws, as a
# Wi-Fi interface would be), with the lab's AP PIN (printed on its label) and
# push button; its avahi-daemon and ippeveprinter run from the start. ws's
# wpa_supplicant (on ws's D-Bus, for cups-wps) manages wl<N>; ws has no
# address there until it has joined: a stand-in for ws's network manager
# gives it one when wpa_supplicant has received the printer's network.
#
#   add-printer NAME --own-ap [--no-ipp]
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
# wired, control socket in CTRL_DIR, WSC UUID from INDEX); its network
# blocks, if any, come from stdin. Prints the interface's D-Bus object path.
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

own_ap_printer() { # HOST NO_IPP
  local h=$1 no_ipp=$2 n; n=$(cat "$DIR/hosts/$h")
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
  # ws: its wpa_supplicant takes the link; its avahi-daemon may use it.
  mkdir -p "$DIR/ws/wpas"
  local path
  path=$(ws_interface "$link" "$DIR/ws/wpas" "$n" </dev/null) || exit 1
  # ws's network manager: once wpa_supplicant has received the printer's
  # network (its WPS.Credentials signal, as NetworkManager listens for it),
  # join it. The signal carries the key: it is matched here, never written.
  rm -f "$DIR/ws/nm-$link.ready"
  # The loop runs in the recorded process itself (gdbus is its child, in
  # ws's namespace), so that `down` ends it by its PID.
  (
    while IFS= read -r line; do
      case $line in
        Monitoring*) : >"$DIR/ws/nm-$link.ready";;
        *fi.w1.wpa_supplicant1.Interface.WPS.Credentials*)
          ip -n "$ID-ws" addr replace "$net.2/24" dev "$link"
          ip netns exec "$ID-ws" sysctl -qw "net.ipv6.conf.$link.disable_ipv6=0"
          echo "$(date +%s.%N) ws joined the network of $h on $link" >>"$DIR/ws/log/join.log";;
      esac
    done < <(in_host ws gdbus monitor --system --dest fi.w1.wpa_supplicant1 --object-path "$path" 2>/dev/null)
  ) >/dev/null 2>&1 &
  echo $! >"$DIR/pids/ws-network-manager-$link.pid"
  wait_until 10 test -e "$DIR/ws/nm-$link.ready" || die "ws's network manager for $link did not start"
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
