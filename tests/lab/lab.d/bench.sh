# SPDX-License-Identifier: Apache-2.0
# Benchmark helpers for cups-wps-lab (used by bench/run; see bench/README.md):
# cups-browsed on the workstation, and extra adverts through Avahi static
# services that point at the lab's real printers.
#
#   bench-browsed-start [CONF]   cups-browsed on ws against the lab's cupsd
#                                (default config: CreateIPPPrinterQueues All);
#                                gives ws a private /var/cache/cups and
#                                /var/log/cups and the printers' .local names
#                                in its /etc/hosts first; prints its PID
#   bench-browsed-stop           stop it (SIGTERM; it deletes its queues)
#   bench-adverts N              N static _ipp._tcp adverts ("Extra Printer k",
#                                each with its own UUID, host name xp-k.local
#                                and IPv4 address, as N printers have), spread
#                                over the printer hosts whose ippeveprinter
#                                runs and pointing at that printer's port;
#                                0 removes them
#   bench-delete-queues          delete every queue of the lab's cupsd (with
#                                many, by restarting cupsd without them)
#   bench-hosts                  the printer hosts' .local names in ws's
#                                /etc/hosts (cups-browsed, driverless)
#   bench-drivers [NAME ...]     exactly these CUPS driver programs in ws's
#                                ServerBin/driver (cups-wps, driverless, ...);
#                                the others wait in ws/drivers-off

# cups-browsed writes /var/cache/cups (options, remote printers) and
# /var/log/cups; inside ws these become directories of the lab (mounts in
# ws's private mount namespace only, so they go with the lab).
bench_private_cups_dirs() {
  mkdir -p "$DIR/ws/var-cache-cups" "$DIR/ws/var-log-cups"
  local d
  for d in cache log; do
    in_host ws sh -c "mountpoint -q /var/$d/cups && [ \"\$(stat -c %i /var/$d/cups)\" = \"\$(stat -c %i $DIR/ws/var-$d-cups)\" ]" &&
      continue
    in_host ws mount --bind "$DIR/ws/var-$d-cups" "/var/$d/cups" || die "cannot give ws a private /var/$d/cups"
  done
}

# cups-browsed connects to the host name a printer advertises (NAME.local);
# on a desktop nss-mdns resolves it, the lab has no nss-mdns: list the
# printer hosts in ws's own /etc/hosts (a file of the lab, bind-mounted;
# rewritten in place so that the mount keeps it). Static entries answer at
# least as fast as nss-mdns would, so this can only favour cups-browsed.
bench_hosts_file() {
  local h n
  {
    printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n%s ws\n' "$NET.$(cat "$DIR/hosts/ws")"
    for h in $(ls "$DIR/hosts"); do
      [ "$h" = ws ] && continue
      n=$(cat "$DIR/hosts/$h")
      printf '%s %s.local\n' "$NET.$n" "$h"
      cat "$DIR/$h/avahi-hosts" 2>/dev/null   # bench-adverts' host names
    done
  } >"$DIR/ws/hosts"
}

cmd_bench_browsed_start() {
  [ -d "$DIR/pids" ] || die "the lab is not up (run: cups-wps-lab up)"
  command -v cups-browsed >/dev/null || die "missing cups-browsed (apt-get install cups-browsed)"
  local conf=${1:-}
  if [ -z "$conf" ]; then
    conf=$DIR/ws/cups-browsed.conf
    cat >"$conf" <<EOF
BrowseRemoteProtocols dnssd
BrowseLocalProtocols none
CreateIPPPrinterQueues All
IPPPrinterQueueType Auto
LocalQueueNamingIPPPrinter DNS-SD
NewIPPPrinterQueuesShared No
CreateRemoteCUPSPrinterQueues No
DebugLogging none
AutoShutdown Off
EOF
  fi
  conf=$(readlink -f "$conf") || die "no config $1"
  [ -f "$DIR/pids/ws-cups-browsed.pid" ] && alive "$(cat "$DIR/pids/ws-cups-browsed.pid")" &&
    die "cups-browsed runs already"
  bench_private_cups_dirs
  bench_hosts_file
  start_daemon ws cups-browsed cups-browsed -c "$conf"
  local pid; pid=$(cat "$DIR/pids/ws-cups-browsed.pid")
  wait_until 5 grep -qx cups-browsed "/proc/$pid/comm" || die "cups-browsed did not start: $(tail -3 "$DIR/ws/log/cups-browsed.log")"
  echo "$pid"
}

cmd_bench_browsed_stop() { stop_pidfile "$DIR/pids/ws-cups-browsed.pid"; }

# The adverts' own addresses: 172.S.0.0/16 (S from the lab id), on the
# loopback interface of the carrying host, whose addresses avahi-daemon
# (allow-interfaces=eth0) does not publish itself: a second host name for one
# of its own addresses would collide with its reverse (PTR) record. ws has an
# address in that subnet on eth0 (so its printers are on a local network)
# and reaches them there (the carrying host answers ARP for any address of
# its own, and routes that subnet to eth0 for its answers).
bench_alias_net() {
  local h; h=$(printf '%s' "$ID" | cksum | cut -d' ' -f1)
  echo "172.$((16 + h % 16))"
}

cmd_bench_adverts() {
  local n=${1:?usage: bench-adverts N}
  [ -d "$DIR/hosts" ] || die "the lab is not up"
  local hosts=() h f alias
  alias=$(bench_alias_net)
  ip -n "$ID-ws" addr replace "$alias.255.254/16" dev eth0 || die "cannot give ws an address in $alias.0.0/16"
  for h in $(ls "$DIR/hosts"); do
    [ "$h" = ws ] && continue
    [ -f "$DIR/$h/ippeveprinter.args" ] || continue
    rm -f "$DIR/$h"/services/bench-*.service
    : >"$DIR/$h/avahi-hosts"
    ip -n "$ID-$h" addr flush dev lo to "$alias.0.0/16"
    ip -n "$ID-$h" route replace "$alias.0.0/16" dev eth0
    if [ -f "$DIR/pids/$h-ippeveprinter.pid" ] && alive "$(cat "$DIR/pids/$h-ippeveprinter.pid")"; then
      hosts+=("$h")
    fi
  done
  if [ "$n" -gt 0 ]; then
    [ ${#hosts[@]} -gt 0 ] || die "bench-adverts: no printer is running"
    local i port
    local -A port_of
    for h in "${hosts[@]}"; do
      port_of[$h]=$(sed -n '/^-p$/{n;p;q}' "$DIR/$h/ippeveprinter.args")
      : >"$DIR/$h/lo.batch"
    done
    local addr
    for ((i = 1; i <= n; i++)); do
      h=${hosts[$(( (i - 1) % ${#hosts[@]} ))]}
      port=${port_of[$h]}
      # Its own host name and address, as a printer has: avahi-daemon on the
      # carrying host publishes them (/etc/avahi/hosts there), IPv4 only.
      addr=$alias.$((i / 250)).$((i % 250 + 1))
      printf 'addr add %s/32 dev lo\n' "$addr" >>"$DIR/$h/lo.batch"
      printf '%s xp-%d.local\n' "$addr" "$i" >>"$DIR/$h/avahi-hosts"
      cat >"$DIR/$h/services/bench-$i.service" <<EOF
<?xml version="1.0" standalone='no'?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<service-group>
  <name>Extra Printer $i</name>
  <service protocol="ipv4">
    <type>_ipp._tcp</type>
    <host-name>xp-$i.local</host-name>
    <subtype>_print._sub._ipp._tcp</subtype>
    <port>$port</port>
    <txt-record>txtvers=1</txt-record>
    <txt-record>rp=ipp/print</txt-record>
    <txt-record>ty=Acme Extra $i</txt-record>
    <txt-record>note=static advert on $h</txt-record>
    <txt-record>pdl=application/pdf,image/pwg-raster,image/urf</txt-record>
    <txt-record>UUID=$(printf 'bbbbbbbb-0000-4000-8000-%012d' "$i")</txt-record>
  </service>
</service-group>
EOF
    done
    for h in "${hosts[@]}"; do
      ip -n "$ID-$h" -batch "$DIR/$h/lo.batch" || die "cannot give $h the adverts' addresses"
    done
  fi
  # cups-browsed on ws (no nss-mdns) finds the host names in ws's /etc/hosts.
  [ -f "$DIR/ws/hosts" ] && bench_hosts_file
  # Reload every printer host's avahi-daemon (also those whose adverts went).
  for h in $(ls "$DIR/hosts"); do
    [ "$h" = ws ] && continue
    [ -f "$DIR/pids/$h-avahi.pid" ] && alive "$(cat "$DIR/pids/$h-avahi.pid")" || continue
    in_host "$h" avahi-daemon -r || die "cannot reload avahi-daemon on $h"
  done
}

# (lpstat -e would also name the network's printers: take lpstat -v's queues)
cmd_bench_delete_queues() {
  local q queues
  queues=$(in_host ws lpstat -v 2>/dev/null | sed -n 's/^device for \([^:]*\):.*/\1/p')
  if [ "$(printf '%s\n' "$queues" | grep -c .)" -gt 20 ]; then
    # One lpadmin -x each makes cupsd rewrite printers.conf each time.
    stop_pidfile "$DIR/pids/ws-cupsd.pid"
    rm -f "$C"/etc/printers.conf* "$C"/etc/ppd/*.ppd "$C"/cache/*.data "$C"/cache/*.ipp* 2>/dev/null
    start_cupsd
    return
  fi
  for q in $queues; do
    in_host ws lpadmin -x "$q" || say "could not delete queue $q"
  done
}

cmd_bench_drivers() {
  [ -d "$DIR/ws/serverbin/driver" ] || die "the lab is not up"
  local on=$DIR/ws/serverbin/driver off=$DIR/ws/drivers-off f n keep
  mkdir -p "$off"
  for f in "$on"/*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    keep=""
    for n in "$@"; do [ "${f##*/}" = "$n" ] && keep=1; done
    [ -n "$keep" ] || mv "$f" "$off/"
  done
  for n in "$@"; do
    { [ -e "$off/$n" ] || [ -L "$off/$n" ]; } && mv "$off/$n" "$on/"
    [ -e "$on/$n" ] || die "bench-drivers: no driver program $n"
  done
}

cmd_bench_hosts() { [ -d "$DIR/hosts" ] || die "the lab is not up"; bench_hosts_file; }
