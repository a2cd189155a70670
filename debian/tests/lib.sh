# SPDX-License-Identifier: Apache-2.0
# Sourced by the autopkgtests that use the installed lab (package
# cups-wps-lab): a lab of their own, removed when the test ends.
#
# Lab id: CUPS_WPS_ADT_LAB_PREFIX (one letter; default t) and this shell's
# PID, so that two runs (two developers, or a run and a leftover) never share
# namespaces or a state directory. The state directory is the lab's default,
# /tmp/cups-wps-lab-ID: its daemons run as avahi, lp and messagebus and must
# reach it, which AUTOPKGTEST_TMP (0700) would forbid.

lab=/usr/bin/cups-wps-lab
export CUPS_WPS_LAB_ID="${CUPS_WPS_ADT_LAB_PREFIX:-t}$(( $$ % 100000 ))"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# lab_up [ARGS]: brings the lab up and takes it down when the test exits.
lab_up() {
  trap '"$lab" down' EXIT
  "$lab" up "$@" || fail "the lab did not come up"
  [ "$(readlink -f "$("$lab" dir)/ws/serverbin/backend/wps")" = /usr/lib/cups/backend/wps ] ||
    fail "the lab's cupsd does not use the installed backend /usr/lib/cups/backend/wps"
}

# The lab cupsd's local socket as the host sees it; inside ws it is
# /run/cups/cups.sock, as on a real system (cupsd takes the client's user
# from its peer credentials there).
lab_cups_socket() { echo "$("$lab" dir)/ws/run-cups/cups.sock"; }
lab_dbus_socket() { echo "$("$lab" dir)/ws/dbus/socket"; }

# as_user USER CMD...: CMD on ws as USER with USER's groups (initgroups),
# talking to the lab's cupsd over its local socket (/run/cups/cups.sock in ws).
as_user() {
  local user=$1; shift
  "$lab" sh ws setpriv --reuid="$user" --regid="$(id -gn "$user")" --init-groups "$@"
}

# wait_for SECONDS CMD...: until CMD succeeds; fails after SECONDS.
wait_for() {
  local end=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.2
  done
}

# queue_uri QUEUE: its device URI on the lab's cupsd, or nothing.
queue_uri() { "$lab" sh ws lpstat -v "$1" 2>/dev/null | sed -n "s/^device for $1: //p"; }
has_queue() { [ -n "$(queue_uri "$1")" ]; }
