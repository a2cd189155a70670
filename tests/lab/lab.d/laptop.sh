# SPDX-License-Identifier: Apache-2.0
# ws as a laptop, in the radio guest only (lab.d/radio.sh): its Wi-Fi is a
# real radio owned by real NetworkManager (Debian's 1.42), which drives ws's
# wpa_supplicant through its D-Bus interface, as on a desktop. ws leaves the
# wire: it reaches the LAN through the router's radio, with the address the
# router's DHCP gives it.
#
#   laptop-up [--band 2.4|5] [--wpa3] [--no-wps] [--networkd]
#                              (after router-up) NetworkManager in ws, with a
#                              saved profile "Home" for the router's network
#                              (its 5 GHz one with --band 5, router-up
#                              --dual-band, with the 2.4 GHz one saved
#                              too as "Home 2.4", autoconnect off; WPA3 (key-mgmt sae) with --wpa3,
#                              router-up --wpa3; NetworkManager's own WPS off,
#                              wifi-sec.wps-method disabled, with --no-wps),
#                              activated; returns once ws has
#                              its address there. ws's wpa_supplicant has its
#                              control socket in /run/wpa_supplicant, as
#                              Debian's service gives it (-O), where cups-wps
#                              finds the External Registrar.
#                              --networkd: no NetworkManager; wpa_supplicant
#                              has "Home" in its configuration file
#                              (update_config=1; DIR/ws/wpa_supplicant-wlan0.conf)
#                              and Debian's systemd-networkd gives wlan0 its
#                              address (DHCPv4, IPv6 link-local), as on a
#                              laptop set up with networkd. With --band 5
#                              it also has the router's 2.4 GHz network,
#                              saved but not joined by itself (disabled=1:
#                              a scan that misses the 5 GHz radio under
#                              emulation must not put ws on 2.4 GHz).
#   laptop-nm ARGS...          nmcli ARGS on ws (NetworkManager's own client)
#
# NetworkManager's files are ws's own: configuration and profiles in
# DIR/ws/nm (the profile carries the router's key: mode 600), its run
# directory in ws's private /run. It manages wlan0 only; it has no polkit
# (root only), no DNS and no connectivity checks.

laptop() { [ -f "$DIR/ws/laptop" ]; }
laptop_networkd() { [ -f "$DIR/ws/laptop-networkd" ]; }

laptop_nm_conf() {
  local d=$DIR/ws/nm
  mkdir -p "$d/system-connections" "$d/conf.d" "$d/lib"
  chmod 700 "$d/system-connections"
  cat >"$d/NetworkManager.conf" <<EOF
[main]
plugins=keyfile
auth-polkit=false
dns=none
rc-manager=unmanaged
systemd-resolved=false
no-auto-default=*
[keyfile]
path=$d/system-connections
unmanaged-devices=except:interface-name:wlan0
[connectivity]
enabled=false
[device]
wifi.scan-rand-mac-address=no
[logging]
level=INFO
EOF
}

# A profile "NAME": the router's network, as NetworkManager saves it.
laptop_profile() { # SSID KEY-MGMT WPS-METHOD (keyfile flags: 0 default, 1 disabled) [NAME N AUTOCONNECT]
  local name=${4:-Home}
  local f=$DIR/ws/nm/system-connections/$name.nmconnection
  ( umask 077; cat >"$f" ) <<EOF
[connection]
id=$name
uuid=6b1d6f2e-1b0c-4a8e-9a55-$(printf '%012d' "${5:-1}")
type=wifi
interface-name=wlan0
autoconnect=${6:-true}
[wifi]
mode=infrastructure
ssid=$1
[wifi-security]
key-mgmt=$2
psk=$ROUTER_PASSPHRASE
wps-method=$3
[ipv4]
method=auto
[ipv6]
method=ignore
EOF
}

laptop_nm() { in_host ws nmcli "$@"; }
# Home is active, ws has an IPv4 address on wlan0, and the router's hostapd
# has ws as an authorized station (NetworkManager stays "activated" while
# wpa_supplicant reconnects by itself after the router restarted).
laptop_online() {
  local radio=wlan0
  [ "$(cat "$DIR/ws/laptop")" = 5 ] && radio=wlan1   # the router's 5 GHz hostapd (lab.d/air.sh)
  { laptop_networkd || [ "$(laptop_nm -g GENERAL.STATE con show Home 2>/dev/null)" = activated ]; } &&
    ip -n "$ID-ws" -4 addr show dev wlan0 | grep -q 'inet ' &&
    HOSTAPD_IFACE=$radio hostapd_cli_on "$ROUTER" sta "$(in_host ws cat /sys/class/net/wlan0/address)" |
      grep -q '^flags=.*\[AUTHORIZED\]'
}

cmd_laptop_up() {
  local band=2.4 ssid key_mgmt=wpa-psk networkd="" wps_method=0
  while [ $# -gt 0 ]; do
    case $1 in
      --band) band=$2; shift 2;;
      --wpa3) key_mgmt=sae; shift;;
      --no-wps) wps_method=1; shift;;
      --networkd) networkd=1; shift;;
      *) die "laptop-up: unknown option $1";;
    esac
  done
  radio_guest || die "laptop-up: only in the radio guest (cups-wps-lab radio)"
  router_exists || die "laptop-up: the lab has no router (router-up first)"
  [ -n "$networkd" ] || command -v NetworkManager >/dev/null || die "laptop-up: missing NetworkManager (package network-manager)"
  [ -z "$networkd" ] || [ "$key_mgmt" = wpa-psk ] || die "laptop-up: --networkd is for a WPA2 profile"
  case $band in
    2.4) ssid=$ROUTER_SSID;;
    5) [ -f "$DIR/$ROUTER/dual-band" ] || die "laptop-up: --band 5 needs router-up --dual-band"; ssid=$ROUTER_SSID_5;;
    *) die "laptop-up: --band is 2.4 or 5";;
  esac
  [ "$key_mgmt" = wpa-psk ] || [ -f "$DIR/$ROUTER/wpa3" ] || die "laptop-up: --wpa3 needs router-up --wpa3"
  laptop && die "laptop-up: ws is a laptop already"
  echo "$band" >"$DIR/ws/laptop"
  # Off the wire; its wired station (router-up) goes with it.
  stop_pidfile "$DIR/pids/ws-wpa_supplicant.pid"
  ip -n "$HUB" link del "vh$(cat "$DIR/hosts/ws")"
  air_take ws
  : >"$DIR/ws/log/wpa_supplicant.log"
  if [ -n "$networkd" ]; then
    touch "$DIR/ws/laptop-networkd"
    ( umask 077; cat >"$DIR/ws/wpa_supplicant-wlan0.conf" ) <<EOF
ctrl_interface=DIR=$WS_CTRL_DIR GROUP=root
update_config=1
country=$AIR_COUNTRY
network={
	ssid="$ssid"
	psk="$ROUTER_PASSPHRASE"
	key_mgmt=WPA-PSK
}
EOF
    if [ "$band" = 5 ]; then
      ( umask 077; cat >>"$DIR/ws/wpa_supplicant-wlan0.conf" ) <<EOF
network={
	ssid="$ROUTER_SSID"
	psk="$ROUTER_PASSPHRASE"
	key_mgmt=WPA-PSK
	disabled=1
}
EOF
    fi
    start_daemon ws wpa_supplicant wpa_supplicant -t -u -i wlan0 -D nl80211 -c "$DIR/ws/wpa_supplicant-wlan0.conf"
  else
    start_daemon ws wpa_supplicant wpa_supplicant -t -u -O "$WS_CTRL_DIR"
  fi
  wait_until 15 in_host ws gdbus call --system --dest fi.w1.wpa_supplicant1 \
    --object-path /fi/w1/wpa_supplicant1 --method org.freedesktop.DBus.Peer.Ping ||
    die "wpa_supplicant on ws is not on D-Bus: $(tail -5 "$DIR/ws/log/wpa_supplicant.log")"
  # NetworkManager manages a device once udev has seen it: udevd in ws
  # (its own /run/udev), for ws's network devices.
  start_daemon ws udevd /lib/systemd/systemd-udevd
  wait_until 15 in_host ws test -S /run/udev/control || die "udevd on ws did not start: $(tail -3 "$DIR/ws/log/udevd.log")"
  in_host ws udevadm trigger --action=add --subsystem-match=net && in_host ws udevadm settle -t 30 ||
    die "udev on ws did not settle"
  local manager
  if [ -n "$networkd" ]; then
    laptop_networkd_up
    manager="systemd-networkd $(networkctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')"
    wait_until 60 laptop_online ||
      die "ws (wpa_supplicant, systemd-networkd) did not get onto '$ssid': $(tail -5 "$DIR/ws/log/networkd.log")"
  else
    laptop_nm_conf
    laptop_profile "$ssid" "$key_mgmt" "$wps_method"
    # On 5 GHz, the router's 2.4 GHz network is saved too ("Home 2.4"), and
    # not joined by itself (autoconnect off). NetworkManager gives
    # wpa_supplicant only the profile in use.
    [ "$band" != 5 ] || laptop_profile "$ROUTER_SSID" "$key_mgmt" "$wps_method" "Home 2.4" 2 false
    local d=$DIR/ws/nm
    start_daemon ws networkmanager NetworkManager --debug --config="$d/NetworkManager.conf" \
      --config-dir="$d/conf.d" --system-config-dir="$d/conf.d" --intern-config="$d/lib/intern.conf" \
      --state-file="$d/lib/NetworkManager.state" --pid-file=/run/NetworkManager.pid
    manager="NetworkManager $(NetworkManager --version)"
    wait_until 60 laptop_online ||
      die "NetworkManager on ws did not get onto '$ssid': $(laptop_nm -t dev 2>&1 | tr '\n' ' ') $(tail -5 "$DIR/ws/log/networkmanager.log")"
  fi
  sed -i 's/^allow-interfaces=.*/allow-interfaces=wlan0/' "$DIR/ws/avahi-daemon.conf"
  stop_avahi ws; start_avahi ws
  say "ws is a laptop on '$ssid' ($(ip -n "$ID-ws" -4 -br addr show dev wlan0 | awk '{print $3}')), $manager"
}

# systemd-networkd in ws (its own /run/systemd): wlan0 gets DHCPv4 and an
# IPv6 link-local address on whatever network wpa_supplicant joins.
laptop_networkd_up() {
  in_host ws sh -c 'mkdir -p /run/systemd/network /run/systemd/netif &&
    chown systemd-network:systemd-network /run/systemd/netif &&
    printf "[Match]\nName=wlan0\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=ipv6\n" \
      >/run/systemd/network/50-lab-wlan0.network' || die "cannot configure systemd-networkd in ws"
  start_daemon ws networkd env SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=debug /lib/systemd/systemd-networkd
  wait_until 15 in_host ws gdbus call --system --dest org.freedesktop.network1 \
    --object-path /org/freedesktop/network1 --method org.freedesktop.DBus.Peer.Ping ||
    die "systemd-networkd on ws is not on D-Bus: $(tail -5 "$DIR/ws/log/networkd.log")"
}

cmd_laptop_nm() { laptop || die "ws is not a laptop (laptop-up)"; laptop_nm "$@"; }
