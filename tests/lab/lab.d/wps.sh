# SPDX-License-Identifier: Apache-2.0
# WPS peers for cups-wps-lab: hostapd (driver=wired) as an access point and
# wpa_supplicant (-Dwired) enrollees, all on the hub bridge. The full WPS
# registration protocol (M1-M8 over EAP-WSC on EAPOL) runs across the veth
# links exactly as on Wi-Fi; see tests/wps/ for what the tests do with it.
#
#   ap-up [HOST]                  hostapd on HOST's eth0 (default ws); prints its
#                                 control socket (/run/hostapd/eth0 inside HOST)
#   ap-down [HOST] [--kill]       stop it (--kill: SIGKILL, as a crash would)
#   add-ap NAME                   a host "a-NAME" (no address) running hostapd: a
#                                 printer's own access point; prints the host name
#   add-enrollee NAME [--dbus]    a host "e-NAME" whose eth0 runs wpa_supplicant
#                                 -Dwired (no address, no printer); with --dbus
#                                 it is also on the host's D-Bus system bus (-u).
#                                 Again for an existing NAME: a fresh supplicant.
#                                 Prints the host name.
#   remove-enrollee NAME          stop its wpa_supplicant
#   press-button HOST|NAME        the enrollee's push button (wps_pbc)
#   enter-pin HOST|NAME           the enrollee uses the PIN read from stdin
#   show-pin HOST|NAME [FILE]     the enrollee makes up a PIN and uses it; the
#                                 PIN is written to FILE (mode 600, default
#                                 DIR/HOST/pin), whose path is printed
#   ap-pbc HOST                   the access point's push button (hostapd)
#   ap-pin HOST [SECONDS]         the access point's registrar takes the PIN read
#                                 from stdin, for any enrollee (default 120 s)
#   stall-enrollee HOST           frames over 300 bytes to HOST are dropped: it
#                                 sends M1 but never gets M2, a device whose
#                                 exchange stalls half-way (unstall-enrollee ends it)
#   wps-events HOST [DAEMON]      print "ready", then the events of HOST's DAEMON
#                                 (hostapd or wpa_supplicant; default: hostapd
#                                 when HOST runs one), one per line, until
#                                 killed; ws's wpa_supplicant is router-up's
#   wps-status HOST               hostapd's wps_get_status on HOST
#
# Only the lab's own secrets are used here; the PIN reaches wpa_cli on stdin,
# never through argv.

WPS_SSID=cups-wps-lab
WPS_PASSPHRASE=lab-passphrase-0f7c2a91   # the tests check it is never printed
WPS_AP_PIN=87654325                       # hostapd's own AP PIN (valid checksum)
WPS_AP_UUID=12345678-9abc-def0-1234-56789abcdef0
WPS_CTRL_DIR=/run/hostapd                 # inside the host's private /run
WLAN_PY=$(dirname "$LAB_SELF")/lab.d/wlan.py

# EAPOL frames go to 01:80:c2:00:00:03, which a bridge does not forward
# unless bit 3 of group_fwd_mask says so.
wps_bridge() { ip -n "$HUB" link set br0 type bridge group_fwd_mask 8 || die "cannot make br0 forward EAPOL"; }

wps_need() {
  local p
  for p in hostapd hostapd_cli wpa_supplicant wpa_cli; do
    command -v "$p" >/dev/null || die "missing $p (install the hostapd and wpasupplicant packages)"
  done
  [ -d "$DIR/pids" ] || die "the lab is not up (run: cups-wps-lab up)"
}

# A bare host: no address, no avahi-daemon; its D-Bus stays (for -u).
wps_bare_host() { # HOST
  local h=$1
  add_host "$h" "$(next_index)" >/dev/null
  stop_avahi "$h"
  ip -n "$ID-$h" addr flush dev eth0
}

# The WSC device attributes both daemons announce.
wps_device_lines() { # UUID NAME MODEL SERIAL DEVICE_TYPE CONFIG_METHODS
  printf '%s\n' "uuid=$1" "device_name=$2" "manufacturer=cups-wps lab" "model_name=$3" "model_number=1" \
    "serial_number=$4" "device_type=$5" "os_version=01020300" "config_methods=$6"
}

# The interface of HOST's wpa_supplicant: eth0, or its radio (lab.d/air.sh).
wpas_iface() { cat "$DIR/$1/wpas-iface" 2>/dev/null || echo eth0; }

# wps_supplicant_start HOST DRIVER [ARG...]: wpa_supplicant with DRIVER on
# HOST's interface (wpas_iface) and its wpa_supplicant.conf; returns once it
# answers on its control socket.
wps_supplicant_start() {
  local h=$1 driver=$2 ifc; shift 2; ifc=$(wpas_iface "$h")
  : >"$DIR/$h/log/wpa_supplicant.log"
  start_daemon "$h" wpa_supplicant wpa_supplicant -t -d "-D$driver" -i "$ifc" -c "$DIR/$h/wpa_supplicant.conf" "$@"
  wait_until 10 in_host "$h" wpa_cli -p "$DIR/$h/wpas" -i "$ifc" ping ||
    die "wpa_supplicant on $h did not start: $(tail -5 "$DIR/$h/log/wpa_supplicant.log")"
}

hostapd_running() { local f="$DIR/pids/$1-hostapd.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

# The interface hostapd serves on HOST: eth0, or the router's radio (wlan0).
hostapd_iface() { cat "$DIR/$1/hostapd-iface" 2>/dev/null || echo eth0; }
hostapd_cli_on() { # HOST ARGS...: hostapd_cli on HOST's hostapd (HOSTAPD_IFACE: another one's)
  local h=$1; shift
  in_host "$h" hostapd_cli -p "$WPS_CTRL_DIR" -i "${HOSTAPD_IFACE:-$(hostapd_iface "$h")}" "$@"
}

# hostapd_start HOST IFACE SSID PASSPHRASE UUID NAME [CONF-LINE...]: hostapd
# (driver=wired, WPS registrar with push button, PIN and AP PIN) on HOST's
# IFACE, handing out the WPA2 network SSID; extra lines end its config. In
# the radio guest it serves the radio (nl80211), unless HOSTAPD_WIRED is set.
hostapd_start() {
  local h=$1 ifc=$2 ssid=$3 pass=$4 uuid=$5 dname=${6:0:32}; shift 6
  hostapd_running "$h" && stop_pidfile "$DIR/pids/$h-hostapd.pid"
  echo "$ifc" >"$DIR/$h/hostapd-iface"
  {
    echo "interface=$ifc"
    if radio_guest && [ -z "${HOSTAPD_WIRED:-}" ]; then
      air_hostapd_lines "${HOSTAPD_CHANNEL:-$AIR_WS_CHANNEL}"   # lab.d/air.sh
    else
      # 802.1X authenticator with the integrated EAP server: EAP-WSC runs there.
      printf '%s\n' driver=wired ieee8021x=1 eapol_version=2
    fi
    cat <<EOF
ctrl_interface=$WPS_CTRL_DIR
ctrl_interface_group=0
logger_stdout=-1
logger_stdout_level=1
eap_server=1
# The network whose credential WPS hands out; without it M8 cannot be built.
ssid=$ssid
wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=$pass
wps_state=2
ap_setup_locked=0
ap_pin=$WPS_AP_PIN
EOF
    # WSC device names are at most 32 bytes.
    wps_device_lines "$uuid" "$dname" hostapd-wired "$h" "${HOSTAPD_DEVICE_TYPE:-6-0050F204-1}" \
      "label display push_button keypad virtual_display virtual_push_button"
    [ $# -eq 0 ] || printf '%s\n' "$@"
  } >"$DIR/$h/hostapd.conf"
  : >"$DIR/$h/log/hostapd.log"
  start_daemon "$h" hostapd hostapd -t -d "$DIR/$h/hostapd.conf"
  wait_until 10 hostapd_cli_on "$h" ping ||
    die "hostapd on $h did not start: $(tail -5 "$DIR/$h/log/hostapd.log")"
  say "hostapd on $h, control socket $WPS_CTRL_DIR/$ifc"
}

cmd_ap_up() {
  local h=${1:-ws}
  wps_need
  host_exists "$h" || die "no host $h"
  radio_guest || wps_bridge
  local uuid=$WPS_AP_UUID
  [ "$h" = ws ] || uuid=$(printf '12345678-9abc-def0-1234-%012x' "$(cat "$DIR/hosts/$h")")
  # A printer's AP carries its name.
  local dname="Lab Access Point $h" type=6-0050F204-1
  # ... and says it is a printer (category 3), as a printer's own AP does.
  [ -f "$DIR/$h/printer-name" ] && dname=$(cat "$DIR/$h/printer-name") type=3-0050F204-1
  local ifc=eth0
  if radio_guest; then   # lab.d/air.sh
    ifc=wlan0
    if [ "$h" = ws ]; then air_ws_ap; else air_take "$h"; fi
  fi
  HOSTAPD_DEVICE_TYPE=$type hostapd_start "$h" "$ifc" "$WPS_SSID" "$WPS_PASSPHRASE" "$uuid" "$dname"
  echo "$WPS_CTRL_DIR/$ifc"
}

cmd_add_ap() {
  local name=${1:?name}
  wps_need
  local h=a-$name
  host_exists "$h" || wps_bare_host "$h"
  cmd_ap_up "$h" >/dev/null
  echo "$h"
}

cmd_ap_down() {
  local h=ws kill=""
  while [ $# -gt 0 ]; do
    case $1 in
      --kill) kill=1; shift;;
      *) h=$1; shift;;
    esac
  done
  local f="$DIR/pids/$h-hostapd.pid"
  if [ -n "$kill" ]; then
    local pid; pid=$(cat "$f" 2>/dev/null) || die "no hostapd on $h"
    kill -9 "$pid" 2>/dev/null
    wait_until 5 sh -c "! kill -0 $pid" || die "hostapd $pid on $h did not die"
    rm -f "$f"
  else
    stop_pidfile "$f"
  fi
}

wps_supplicant_conf() { # HOST DBUS
  local h=$1 dbus=$2 n; n=$(cat "$DIR/hosts/$h")
  mkdir -p "$DIR/$h/wpas"
  cat >"$DIR/$h/wpa_supplicant.conf" <<EOF
ctrl_interface=DIR=$DIR/$h/wpas GROUP=root
ap_scan=0
eapol_version=2
fast_reauth=0
$(wps_device_lines "$(printf '22222222-3333-4444-5555-%012x' "$n")" "Lab Printer $h" wpas-wired "$h" 3-0050F204-1 \
    "display keypad push_button virtual_push_button")
EOF
  # 2: use the credential and report it. On D-Bus, cups-wps sets it itself
  # (ProcessCredentials), which the tests check by leaving it out here.
  [ -n "$dbus" ] || echo "wps_cred_processing=2" >>"$DIR/$h/wpa_supplicant.conf"
}

cmd_add_enrollee() {
  local name="" dbus=""
  while [ $# -gt 0 ]; do
    case $1 in
      --dbus) dbus=1; shift;;
      -*) die "add-enrollee: unknown option $1";;
      *) name=$1; shift;;
    esac
  done
  [ -n "$name" ] || die "usage: add-enrollee NAME [--dbus]"
  wps_need
  wps_bridge
  local h=e-$name
  if ! host_exists "$h"; then
    wps_bare_host "$h"
    # Stations reach the access points but not each other, as on Wi-Fi:
    # EAPOL frames go to a group address, and a supplicant that hears
    # another one's exchange gets confused.
    ip -n "$HUB" link set "vh$(cat "$DIR/hosts/$h")" type bridge_slave isolated on
  fi
  stop_pidfile "$DIR/pids/$h-wpa_supplicant.pid"
  rm -f "$DIR/$h/wpas/eth0"
  wps_supplicant_conf "$h" "$dbus"
  wps_supplicant_start "$h" wired ${dbus:+-u}
  if [ -n "$dbus" ]; then
    wait_until 10 in_host "$h" gdbus call --system --dest fi.w1.wpa_supplicant1 \
      --object-path /fi/w1/wpa_supplicant1 --method org.freedesktop.DBus.Peer.Ping ||
      die "wpa_supplicant on $h is not on D-Bus"
  fi
  echo "$h"
}

cmd_remove_enrollee() {
  local h=e-${1:?name}
  host_exists "$h" || h=${1}
  stop_pidfile "$DIR/pids/$h-wpa_supplicant.pid"
}

wps_cli() { # HOST|PRINTER-NAME ARGS...: wpa_cli on an enrollee host
  local h; h=$(name_to_host "$1") || exit 1; shift
  in_host "$h" wpa_cli -p "$DIR/$h/wpas" -i "$(wpas_iface "$h")" "$@"
}

# The enrollee's WPS run starts: on the router's radio, it associates first
# (lab.d/router.sh). Prints the host.
wps_run_starts() { # HOST|PRINTER-NAME pin|pbc
  local h; h=$(name_to_host "$1") || exit 1
  router_associate "$h" "$2"
  echo "$h"
}

cmd_press_button() {
  local h; h=$(wps_run_starts "${1:?host}" pbc) || exit 1
  wps_cli "$h" wps_pbc >/dev/null
}

cmd_enter_pin() {
  local h=${1:?host} pin
  IFS= read -r pin || die "enter-pin: no PIN on stdin"
  case $pin in ''|*[!0-9]*) die "enter-pin: the PIN is digits only";; esac
  h=$(wps_run_starts "$h" pin) || exit 1
  # wpa_cli's interactive mode reads the command from stdin: the PIN never
  # shows up in a process list.
  local out; out=$(printf 'wps_pin any %s\n' "$pin" | wps_cli "$h")
  pin=""
  case $out in *FAIL*) die "enter-pin: wpa_supplicant on $h refused the PIN";; esac
}

# The printer makes up a PIN, shows it (writes it to FILE, mode 600, default
# DIR/HOST/pin) and waits with it; prints FILE.
cmd_show_pin() {
  local h=${1:?host} file=${2:-} pin
  h=$(wps_run_starts "$h" pin) || exit 1
  file=${file:-$DIR/$h/pin}
  pin=$(wps_cli "$h" wps_pin any)
  case $pin in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;; *) die "show-pin: wpa_supplicant on $h made no PIN";; esac
  ( umask 077; rm -f "$file"; printf '%s\n' "$pin" >"$file" ) || die "show-pin: cannot write $file"
  pin=""
  echo "$file"
}

cmd_ap_pbc() {
  local h=${1:?host} out
  out=$(hostapd_cli_on "$h" wps_pbc)
  [ "$out" = OK ] || die "ap-pbc: hostapd on $h answered: $out"
}

cmd_ap_pin() {
  local h=${1:?host} seconds=${2:-120} pin out
  IFS= read -r pin || die "ap-pin: no PIN on stdin"
  case $pin in ''|*[!0-9]*) die "ap-pin: the PIN is digits only";; esac
  out=$(printf 'wps_pin any %s %s\n' "$pin" "$seconds" | hostapd_cli_on "$h")
  pin=""
  case $out in *OK*) ;; *) die "ap-pin: hostapd on $h refused the PIN";; esac
}

# TBF drops every packet larger than its burst: EAP-Request/Identity and
# WSC_Start (small) get through, M2 (about 450 bytes) does not.
cmd_stall_enrollee() {
  local h=${1:?host}
  host_exists "$h" || die "no host $h"
  ip netns exec "$HUB" tc qdisc replace dev "vh$(cat "$DIR/hosts/$h")" root tbf rate 100mbit burst 300 limit 10000 ||
    die "cannot stall $h"
}

cmd_unstall_enrollee() {
  local h=${1:?host}
  host_exists "$h" || die "no host $h"
  ip netns exec "$HUB" tc qdisc del dev "vh$(cat "$DIR/hosts/$h")" root 2>/dev/null || true
}

# wlan.py monitor attaches to the daemon's control socket and prints "ready"
# once attached (no event is missed after it), then every event, one a line.
cmd_wps_events() {
  local h=${1:?host} daemon=${2:-} sock
  host_exists "$h" || die "no host $h"
  if [ -z "$daemon" ]; then
    if hostapd_running "$h"; then daemon=hostapd; else daemon=wpa_supplicant; fi
  fi
  case $daemon in
    hostapd) sock=$WPS_CTRL_DIR/$(hostapd_iface "$h");;
    wpa_supplicant) if [ "$h" = ws ]; then
                      sock=$WS_CTRL_DIR/$(ws_station_iface)   # ws's own wpa_supplicant (lab.d/router.sh)
                    else
                      sock=$DIR/$h/wpas/$(wpas_iface "$h")
                    fi;;
    *) die "wps-events: DAEMON is hostapd or wpa_supplicant";;
  esac
  IN_HOST_EXEC=1 in_host "$h" /usr/bin/python3 "$WLAN_PY" monitor "$sock"
}

cmd_wps_status() {
  local h=${1:-ws}
  hostapd_cli_on "$h" wps_get_status
}
