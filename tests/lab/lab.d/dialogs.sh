# SPDX-License-Identifier: Apache-2.0
# The printer dialogs' services on ws, for tests of what GNOME Settings and
# system-config-printer do with the lab's printers (cups-wps-lab extension):
#
#   dialogs-up     on ws: polkitd and cups-pk-helper-mechanism on ws's own
#                  system bus (GNOME changes queues through cups-pk-helper;
#                  root is authorized, other users are not), and a session
#                  bus whose activation starts system-config-printer's
#                  scp-dbus-service (the driver chooser GNOME asks), which
#                  finds ws's cupsd on /run/cups/cups.sock; prints that session bus's address
#   dialogs-down   stops them (down does too)
#
# Packages: polkitd, cups-pk-helper, system-config-printer-common (and
# python3-cupshelpers, which it uses).

DIALOGS_SERVICES=/usr/share/dbus-1/system-services
SCP_SERVICE=/usr/share/dbus-1/services/org.fedoraproject.Config.Printing.service

# The program a D-Bus .service file starts (its Exec= line, first word).
dialogs_exec_of() { sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$1" 2>/dev/null | head -1; }

dialogs_bus_has() { # BUS-OPTION NAME
  in_host ws gdbus call "$1" --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$2" 2>/dev/null | grep -q true
}

cmd_dialogs_up() {
  [ -d "$DIR/pids" ] || die "the lab is not up (run: cups-wps-lab up)"
  local polkitd pkhelper
  polkitd=$(dialogs_exec_of "$DIALOGS_SERVICES/org.freedesktop.PolicyKit1.service")
  pkhelper=$(dialogs_exec_of "$DIALOGS_SERVICES/org.opensuse.CupsPkHelper.Mechanism.service")
  [ -x "$polkitd" ] || die "missing polkitd (apt-get install polkitd)"
  [ -x "$pkhelper" ] || die "missing cups-pk-helper (apt-get install cups-pk-helper)"
  [ -f "$SCP_SERVICE" ] && command -v scp-dbus-service >/dev/null ||
    die "missing scp-dbus-service (apt-get install system-config-printer-common python3-cupshelpers)"

  if ! dialogs_bus_has --system org.freedesktop.PolicyKit1; then
    start_daemon ws polkitd "$polkitd" --no-debug
    wait_until 15 dialogs_bus_has --system org.freedesktop.PolicyKit1 ||
      die "polkitd on ws did not start: $(tail -5 "$DIR/ws/log/polkitd.log")"
  fi
  if ! dialogs_bus_has --system org.opensuse.CupsPkHelper.Mechanism; then
    start_daemon ws cups-pk-helper "$pkhelper"
    wait_until 15 dialogs_bus_has --system org.opensuse.CupsPkHelper.Mechanism ||
      die "cups-pk-helper-mechanism on ws did not start: $(tail -5 "$DIR/ws/log/cups-pk-helper.log")"
  fi

  # A session bus that can start exactly one service: scp-dbus-service. It
  # runs in ws's mount namespace, so it talks to ws's cupsd.
  local s=$DIR/ws/session
  if [ ! -S "$s/socket" ]; then
    mkdir -p "$s/services"
    cp "$SCP_SERVICE" "$s/services/"
    cat >"$s/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$s/socket</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$s/services</servicedir>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
    start_daemon ws session-bus dbus-daemon --config-file="$s/session.conf" --nofork --nopidfile
    wait_until 10 test -S "$s/socket" || die "the session bus on ws did not start: $(tail -5 "$DIR/ws/log/session-bus.log")"
  fi
  echo "unix:path=$s/socket"
}

cmd_dialogs_down() {
  # scp-dbus-service was started by the session bus: ask the bus for its PID.
  local scp
  scp=$(in_host ws gdbus call --address "unix:path=$DIR/ws/session/socket" --dest org.freedesktop.DBus \
          --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.GetConnectionUnixProcessID \
          org.fedoraproject.Config.Printing 2>/dev/null | sed -n 's/^(uint32 \([0-9]*\),)$/\1/p')
  [ -n "$scp" ] && kill "$scp" 2>/dev/null
  stop_pidfile "$DIR/pids/ws-session-bus.pid"
  stop_pidfile "$DIR/pids/ws-cups-pk-helper.pid"
  stop_pidfile "$DIR/pids/ws-polkitd.pid"
  rm -rf "$DIR/ws/session"
}
