# Printers in setup mode for cups-wps-lab: a printer host whose Wi-Fi stack
# is wpa_supplicant (-Dwired, WPS enrollee) and that has no address, no
# avahi-daemon and no ippeveprinter until a WPS run succeeds, as a real
# printer joining a network (needs lab.d/wps.sh, and `ap-up` on ws).
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
  # Stations reach the access point but not each other, as on Wi-Fi.
  ip -n "$HUB" link set "vh$(cat "$DIR/hosts/$h")" type bridge_slave isolated on
  [ -n "$no_ipp" ] && touch "$DIR/$h/no-ipp"
  wps_supplicant_conf "$h" ""
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
}

cmd_join() {
  local h=${1:?host}
  host_exists "$h" || die "no host $h"
  [ -f "$DIR/$h/joined" ] && return 0
  touch "$DIR/$h/joined"
  ip -n "$ID-$h" addr add "$NET.$(cat "$DIR/hosts/$h")/24" dev eth0
  start_avahi "$h"
  [ -f "$DIR/$h/no-ipp" ] || start_ippeveprinter "$h"
  say "printer host $h joined the network"
}
