# SPDX-License-Identifier: Apache-2.0
# avahi-daemon settings for cups-wps-lab hosts (sourced by cups-wps-lab).
#
#   avahi-conf HOST KEY=VALUE...   set keys of the [server] section of HOST's
#                                  avahi-daemon.conf and restart it if it runs

# avahi-conf HOST KEY=VALUE...: set keys of the [server] section (replaced
# where present, added otherwise), then restart avahi-daemon if it runs. On
# ws: cache-entries-max, the records avahi-daemon caches per interface (4096
# by default: about 1,500 printers), so that the lab can show more.
cmd_avahi_conf() {
  local h=${1:?usage: avahi-conf HOST KEY=VALUE...} kv k v conf; shift
  host_exists "$h" || die "no host $h"
  conf=$DIR/$h/avahi-daemon.conf
  for kv in "$@"; do
    k=${kv%%=*}; v=${kv#*=}
    case $k in ''|*[!a-z0-9-]*) die "avahi-conf: bad key in '$kv'";; esac
    case $v in *[!A-Za-z0-9.,_-]*) die "avahi-conf: bad value in '$kv'";; esac
    if grep -q "^$k=" "$conf"; then
      sed -i "s/^$k=.*/$k=$v/" "$conf"
    else
      sed -i "/^\[server\]/a $k=$v" "$conf"
    fi
  done
  if [ -f "$DIR/pids/$h-avahi.pid" ] && alive "$(cat "$DIR/pids/$h-avahi.pid")"; then
    stop_avahi "$h"; start_avahi "$h"
  fi
}
