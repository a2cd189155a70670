# SPDX-License-Identifier: Apache-2.0
# Printers for the identity tests of cups-wps-lab: TLS keys, printers that
# offer only plain IPP, and adverts of any host's own making (an impostor's).
#
#   add-printer NAME --ipp-only [...]
#       ippeveprinter without its own DNS-SD (-r off); the host advertises
#       only _ipp._tcp for it, with its UUID (from --attributes, else a new
#       one) in TXT: a printer whose identity cannot be verified
#   start-printer NAME --ipp-only | --ipps
#       start it again advertising only _ipp, or as ippeveprinter does
#   rekey-printer NAME
#       restart it with a new TLS key (a reset or replaced printer)
#   give-key FROM TO
#       printer TO presents FROM's TLS key from its next connection on (the
#       same printer, moved to another host); before TO's first TLS session
#   advertise HOST SERVICE-NAME TYPE PORT [KEY=VALUE ...]
#       a static Avahi service on HOST (TYPE: _ipp._tcp, _ipps._tcp);
#       e.g. an impostor's advert for another printer's UUID
#   unadvertise HOST SERVICE-NAME

# A file name for a service name.
service_file() { # HOST SERVICE-NAME
  echo "$DIR/$1/services/$(printf '%s' "$2" | tr -c 'A-Za-z0-9' '_').service"
}

xml_escape() { printf '%s' "$1" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g'; }

cmd_advertise() {
  local h=${1:?host} name=${2:?service name} type=${3:?type} port=${4:?port}
  shift 4
  host_exists "$h" || die "no host $h"
  local f; f=$(service_file "$h" "$name")
  {
    echo '<?xml version="1.0" standalone="no"?>'
    echo '<!DOCTYPE service-group SYSTEM "avahi-service.dtd">'
    echo "<service-group><name>$(xml_escape "$name")</name><service>"
    echo "<type>$(xml_escape "$type")</type><port>$port</port>"
    local kv
    for kv in "$@"; do echo "<txt-record>$(xml_escape "$kv")</txt-record>"; done
    echo '</service></service-group>'
  } >"$f.tmp"
  # avahi-daemon sees the directory change (inotify) and publishes it.
  mv "$f.tmp" "$f"
}

cmd_unadvertise() { rm -f "$(service_file "${1:?host}" "${2:?service name}")"; }

# The UUID a printer host advertises: its attributes file's printer-uuid, or one made once.
printer_uuid() { # HOST
  local h=$1 attrs u
  attrs=$(arg_after "$h" -a)
  [ -n "$attrs" ] && u=$(sed -n 's/.*printer-uuid urn:uuid:\([0-9a-fA-F-]*\).*/\1/p' "$attrs" | head -1)
  if [ -z "${u:-}" ]; then
    [ -f "$DIR/$h/uuid" ] || cat /proc/sys/kernel/random/uuid >"$DIR/$h/uuid"
    u=$(cat "$DIR/$h/uuid")
  fi
  echo "$u"
}

arg_after() { sed -n "/^$2\$/{n;p}" "$DIR/$1/ippeveprinter.args" | head -1; }  # HOST OPTION

# ippeveprinter's arguments for a printer host, one a line (start_ippeveprinter).
# A printer marked ipp-only gets no DNS-SD of its own (-r off) and a static
# _ipp advert instead.
ippeveprinter_args() { # HOST
  local h=$1
  if [ ! -f "$DIR/$h/ipp-only" ]; then cat "$DIR/$h/ippeveprinter.args"; return; fi
  sed '$d' "$DIR/$h/ippeveprinter.args"; printf '%s\n' -r off; tail -1 "$DIR/$h/ippeveprinter.args"
  local ty attrs
  ty="$(arg_after "$h" -M) $(arg_after "$h" -m)"
  attrs=$(arg_after "$h" -a)
  [ -z "$attrs" ] || ty=$(sed -n 's/.*printer-make-and-model "\(.*\)".*/\1/p' "$attrs" | head -1)
  cmd_advertise "$h" "$(cat "$DIR/$h/printer-name")" _ipp._tcp "$(arg_after "$h" -p)" txtvers=1 qtotal=1 \
    rp=ipp/print "ty=$ty" "UUID=$(printer_uuid "$h")" pdl=application/pdf,image/pwg-raster,image/urf "note=lab host $h"
}

printer_mode() { # HOST [--ipp-only|--ipps]
  case ${2:-} in
    --ipp-only) touch "$DIR/$1/ipp-only";;
    --ipps) rm -f "$DIR/$1/ipp-only";;
    '') ;;
    *) die "start-printer: unknown option $2";;
  esac
}

stop_printer_host() { # HOST: its ippeveprinter, and its static advert if any
  stop_pidfile "$DIR/pids/$1-ippeveprinter.pid"
  cmd_unadvertise "$1" "$(cat "$DIR/$1/printer-name")"
}

cmd_give_key() {
  local from to n
  from=$(name_to_host "${1:?from printer}") && to=$(name_to_host "${2:?to printer}") || exit 1
  # ippeveprinter takes the key named after the host name its address has
  # (the name, or name.local for IPv6), at every handshake.
  for n in "$to" "$to.local"; do
    cp "$DIR/$from/ssl/$from.crt" "$DIR/$to/ssl/$n.crt" && cp "$DIR/$from/ssl/$from.key" "$DIR/$to/ssl/$n.key" ||
      die "give-key: $from has no key yet"
  done
}

cmd_rekey_printer() {
  local h; h=$(name_to_host "${1:?printer}")
  stop_printer_host "$h"
  # ippeveprinter makes a new key and certificate when it finds none.
  rm -f "$DIR/$h/ssl/"*
  start_ippeveprinter "$h"
}
