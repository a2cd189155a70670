# SPDX-License-Identifier: Apache-2.0
# The radio lab: real 802.11 for cups-wps-lab. This machine's kernel has no
# Wi-Fi, so a QEMU guest boots Debian's own kernel (linux-image-amd64, never
# booted on the host) with the host's root read-only over 9p and tmpfs where
# it writes; mac80211_hwsim gives it radios that hear each other. Inside, the
# lab is the same script: when it runs in the guest its hosts take radios
# (lab.d/air.sh), hostapd and wpa_supplicant use nl80211, printers get their
# addresses over DHCP.
#
#   radio up [--radios N]        boot the guest (N radios, default 12); says
#                                whether it runs under KVM (only when a boot
#                                proves that KVM works) or TCG
#   radio sh HOST [CMD ...]      CMD on a lab host in the guest (HOST "guest":
#                                the guest's own namespaces); stdin is passed
#   radio run PROGRAM [ARG ...]  up, PROGRAM in the guest (with the CUPS_WPS_*,
#                                GTEST_*, ASAN/UBSAN/LSAN_* environment), down;
#                                exits with PROGRAM's status
#   radio down                   the guest's labs go down (their logs into the
#                                share), then the guest powers off; stopped by
#                                PID if it does not
#   radio status                 is it up, and how
#   radio fetch                  download the packages the guest runs but this
#                                machine lacks (see radio_guest_usr)
#
# State: DIR/radio: the initramfs, the share (the guest's /tmp/radio-share:
# commands, their output, the labs' logs as they go down), console.log (the
# guest's serial console), qemu.log. After `radio run`, it is removed when
# PROGRAM passed and kept (for its logs) when it failed.
# Environment: CUPS_WPS_RADIO_ACCEL=tcg|kvm|auto (default auto: KVM is tried
# first when /dev/kvm can be opened, and kept only if that guest gets ready).

RADIO=$DIR/radio
RADIO_MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci 9pnet 9pnet_virtio
               netfs fscache 9p)

radio_kernel() { ls /lib/modules 2>/dev/null | sort -V | tail -1; }
radio_pid() { cat "$RADIO/qemu.pid" 2>/dev/null; }
radio_running() { # our QEMU, by its recorded PID
  local p; p=$(radio_pid) && [ -n "$p" ] && alive "$p" && grep -q '^qemu-system' "/proc/$p/comm" 2>/dev/null
}

radio_need() {
  local p missing=""
  for p in qemu-system-x86_64 cpio gzip modinfo busybox; do command -v "$p" >/dev/null || missing="$missing $p"; done
  [ -z "$missing" ] || die "radio: missing programs:$missing (scripts/install-deps --test installs them)"
  local k; k=$(radio_kernel)
  [ -n "$k" ] && [ -f "/boot/vmlinuz-$k" ] ||
    die "radio: no Debian kernel to boot (package linux-image-amd64; scripts/install-deps --test installs it)"
  modinfo -k "$k" -n mac80211_hwsim >/dev/null 2>&1 || die "radio: kernel $k has no mac80211_hwsim"
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' ||
    die "radio: busybox is not the static one (package busybox-static)"
}

# The initramfs: static busybox, the virtio and 9p modules, lab.d/radio_init.
radio_initrd() { # KERNEL
  local k=$1 d=$RADIO/initrd m f
  rm -rf "$d"; mkdir -p "$d"/{bin,mods,proc,sys,dev,newroot}
  cp "$(command -v busybox)" "$d/bin/busybox" && ln -s busybox "$d/bin/sh"
  for m in "${RADIO_MODULES[@]}"; do
    f=$(modinfo -k "$k" -n "$m" 2>/dev/null) || continue   # built in
    case $f in /*) cp "$f" "$d/mods/";; esac
  done
  install -m 0755 "$(dirname "$LAB_SELF")/lab.d/radio_init" "$d/init"
  (cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) >"$RADIO/initrd.img" || die "radio: cannot pack the initramfs"
  rm -rf "$d"
}

# What the guest runs and this machine does not have installed (Debian's
# NetworkManager: installed here, it would be enabled for this machine's next
# boot): `radio fetch` (scripts/install-deps --test runs it) downloads the
# packages into GUEST_DEBS; they are unpacked into the share, and the guest
# lays that tree over its /usr (overlayfs, read-only). Nothing when this
# machine has them all.
RADIO_GUEST_PACKAGES=(network-manager)
GUEST_DEBS=/var/cache/cups-wps-lab/guest-debs

# "NAME VERSION" of each package apt would install for the guest's, at its candidate version.
radio_guest_debs() {
  apt-get -s install --no-install-recommends "${RADIO_GUEST_PACKAGES[@]}" 2>/dev/null |
    sed -n 's/^Inst \([^ ]*\) .*(\([^ ]*\) .*/\1 \2/p'
}

cmd_radio_fetch() { # download them into GUEST_DEBS (root: apt's cache lists)
  local want log
  mapfile -t want < <(radio_guest_debs | tr ' ' '=')
  mkdir -p "$GUEST_DEBS" || die "radio fetch: cannot make $GUEST_DEBS"
  if [ ${#want[@]} -gt 0 ]; then
    log=$( (cd "$GUEST_DEBS" && apt-get download -q "${want[@]}") 2>&1) ||
      die "radio fetch: cannot download the guest's packages: $log"
  fi
  echo "the radio guest's ${RADIO_GUEST_PACKAGES[*]}: $(apt-cache policy "${RADIO_GUEST_PACKAGES[@]}" |
    sed -n 's/^  Candidate: //p' | tr '\n' ' ')(downloaded: ${#want[@]} packages)"
}

radio_guest_usr() {
  local want name ver f found t=$RADIO/share/usr-tree
  mapfile -t want < <(radio_guest_debs)
  [ ${#want[@]} -gt 0 ] || return 0
  rm -rf "$t"; mkdir -p "$t"
  for name in "${want[@]}"; do
    ver=${name#* } name=${name%% *} found=""
    for f in "$GUEST_DEBS/${name}"_*.deb; do
      [ -e "$f" ] && [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && { found=$f; break; }
    done
    [ -n "$found" ] || die "radio: the guest needs $name $ver, not in $GUEST_DEBS (run: cups-wps-lab radio fetch, or scripts/install-deps --test)"
    dpkg-deb -x "$found" "$t" || die "radio: cannot unpack $found"
  done
  # Debian 12 has merged /usr: what a package puts in /lib, /bin, /sbin is in /usr.
  local d
  for d in lib bin sbin; do
    [ -d "$t/$d" ] || continue
    mkdir -p "$t/usr/$d" && cp -a "$t/$d/." "$t/usr/$d/" && rm -rf "${t:?}/$d"
  done
  say "radio: the guest's /usr also has ${#want[@]} packages of $GUEST_DEBS (${RADIO_GUEST_PACKAGES[*]})"
}

# The guest has its own /tmp; a lab that lives in the host's /tmp (a clone
# there) is shown in it at the same path (lab.d/radio_init: hosttmp=NAME).
radio_hosttmp() {
  case $LAB_SELF in /tmp/*/*) local rest=${LAB_SELF#/tmp/}; echo " hosttmp=${rest%%/*}";; esac
}

radio_boot() { # ACCEL RADIOS KERNEL
  local accel=$1 radios=$2 k=$3 how=tcg,thread=multi cpu=max
  [ "$accel" = kvm ] && how=kvm cpu=host
  rm -f "$RADIO/share/ready" "$RADIO/share/failed"
  : >"$RADIO/console.log"
  # multidevs=remap: without it, what the guest mounts over the 9p root
  # (/proc included) silently disappears.
  qemu-system-x86_64 -accel "$how" -cpu "$cpu" -m 2048 -smp 2 -nographic -no-reboot \
    -kernel "/boot/vmlinuz-$k" -initrd "$RADIO/initrd.img" \
    -fsdev local,id=root,path=/,readonly=on,security_model=none,multidevs=remap \
    -device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
    -fsdev local,id=share,path="$RADIO/share",security_model=none \
    -device virtio-9p-pci,fsdev=share,mount_tag=share \
    -net none -nodefaults -serial "file:$RADIO/console.log" -display none \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 guest=$(dirname "$LAB_SELF")/lab.d/radio_guest radios=$radios$(radio_hosttmp)" \
    >>"$RADIO/qemu.log" 2>&1 </dev/null &
  echo $! >"$RADIO/qemu.pid"
}

# radio_wait_ready SECONDS: the guest said ready; fails when it failed or QEMU ended.
radio_wait_ready() {
  local end=$((SECONDS + $1))
  while [ ! -f "$RADIO/share/ready" ]; do
    [ ! -f "$RADIO/share/failed" ] || return 1
    radio_running || return 1
    [ $SECONDS -lt $end ] || return 1
    sleep 0.2
  done
}

radio_stop_qemu() { stop_pidfile "$RADIO/qemu.pid"; }

cmd_radio_up() {
  local radios=12 accel=${CUPS_WPS_RADIO_ACCEL:-auto}
  while [ $# -gt 0 ]; do
    case $1 in
      --radios) radios=$2; shift 2;;
      *) die "radio up: unknown option $1";;
    esac
  done
  case $radios in ''|*[!0-9]*) die "radio up: --radios takes a number";; esac
  [ "$(id -u)" = 0 ] || die "radio: needs root"
  radio_need
  if radio_running; then die "radio: the guest of lab '$ID' is up already (radio down first)"; fi
  rm -rf "$RADIO"; mkdir -p "$RADIO/share/cmd" "$RADIO/logs"; chmod 700 "$RADIO"
  local k; k=$(radio_kernel)
  radio_initrd "$k"
  radio_guest_usr
  local t0=$SECONDS why=""
  case $accel in
    auto|kvm)
      if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
        radio_boot kvm "$radios" "$k"
        if radio_wait_ready 25; then
          say "radio: guest up under KVM in $((SECONDS - t0)) s (Debian's kernel $k, $radios radios)"; return 0
        fi
        radio_stop_qemu
        why="KVM booted no kernel within 25 s"
      else
        why="no usable /dev/kvm"
      fi
      [ "$accel" = auto ] || die "radio: CUPS_WPS_RADIO_ACCEL=kvm, but $why";;
    tcg) why="CUPS_WPS_RADIO_ACCEL=tcg";;
    *) die "radio: CUPS_WPS_RADIO_ACCEL is tcg, kvm or auto";;
  esac
  t0=$SECONDS
  radio_boot tcg "$radios" "$k"
  radio_wait_ready 240 || {
    local what; what=$(cat "$RADIO/share/failed" 2>/dev/null || tail -5 "$RADIO/console.log")
    radio_stop_qemu
    die "radio: the guest did not get ready (TCG): $what"
  }
  say "radio: guest up under TCG ($why) in $((SECONDS - t0)) s (Debian's kernel $k, $radios radios)"
}

# radio_exec [-i] SCRIPT: runs the bash SCRIPT in the guest; its output
# comes back as it is written; returns its exit status. -i: stdin goes along.
radio_exec() {
  local input=""; [ "$1" = -i ] && { input=1; shift; }
  radio_running || die "radio: the guest of lab '$ID' is not up (radio up)"
  local n c=$RADIO/share/cmd
  n=$( { flock 9; local v; v=$(( $(cat "$c/next" 2>/dev/null || echo 0) + 1 )); echo "$v" >"$c/next"; echo "$v"; } 9>>"$c/lock")
  [ -z "$input" ] || ( umask 077; cat >"$c/$n.in" )
  printf '%s\n' "$1" >"$c/$n.tmp" && mv "$c/$n.tmp" "$c/$n.sh"
  local off=0 size
  while :; do
    if [ -f "$c/$n.out" ]; then
      size=$(stat -c %s "$c/$n.out")
      if [ "$size" -gt "$off" ]; then tail -c +$((off + 1)) "$c/$n.out" | head -c $((size - off)); off=$size; fi
    fi
    if [ -f "$c/$n.rc" ]; then
      size=$(stat -c %s "$c/$n.out" 2>/dev/null || echo 0)
      [ "$size" -le "$off" ] || tail -c +$((off + 1)) "$c/$n.out"
      local rc; rc=$(cat "$c/$n.rc"); rm -f "$c/$n".*
      return "$rc"
    fi
    radio_running || { echo "cups-wps-lab: radio: the guest went away (console: $RADIO/console.log)" >&2; return 125; }
    sleep 0.2
  done
}

# The environment a command in the guest gets: the lab's and the tests'.
radio_env() {
  local v
  while IFS= read -r v; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done < <(compgen -e | grep -E '^(CUPS_WPS_|GTEST_|ASAN_|UBSAN_|LSAN_)' | grep -vE '^CUPS_WPS_LAB_DIR$')
  echo "export CUPS_WPS_LAB_RADIO_SHARE=/tmp/radio-share"
  # Sanitizer reports: where log_path points on the host, also in the guest
  # (its /tmp is its own); radio_collect brings them back.
  local d; d=$(radio_sanitizer_dir)
  [ -z "$d" ] || printf 'mkdir -p %q && chmod 1777 %q\n' "$d" "$d"
}

# The directory of ASAN_OPTIONS' log_path, or "".
radio_sanitizer_dir() {
  local lp; lp=$(printf '%s' "${ASAN_OPTIONS:-}" | sed -n 's/.*log_path=\([^:]*\).*/\1/p')
  [ -z "$lp" ] || dirname "$lp"
}

radio_collect() { # the sanitizer reports written in the guest, to the host's log_path directory
  local d; d=$(radio_sanitizer_dir)
  [ -n "$d" ] || return 0
  radio_exec "shopt -s nullglob; for f in $(printf %q "$d")/*; do cp \"\$f\" /tmp/radio-share/logs-sanitizer-\${f##*/}; done" || true
  for f in "$RADIO"/share/logs-sanitizer-*; do [ -e "$f" ] && mv "$f" "$d/radio-${f##*/logs-sanitizer-}"; done
  return 0
}

cmd_radio_sh() {
  local h=${1:?host}; shift
  [ $# -gt 0 ] || die "radio sh: give a command (an interactive shell in the guest is not offered)"
  local script; script="$(radio_env)"$'\n'
  if [ "$h" = guest ]; then
    script+="exec $(printf '%q ' "$@")"
  else
    script+="exec $(printf '%q ' "$LAB_SELF" sh "$h" "$@")"
  fi
  if [ -t 0 ]; then radio_exec "$script" </dev/null; else radio_exec -i "$script"; fi
}

cmd_radio_down() {
  if radio_running; then
    # The labs still up in the guest go down (their logs into the share).
    radio_exec "shopt -s nullglob; for d in /tmp/cups-wps-lab-*/; do i=\${d%/}; i=\${i#/tmp/cups-wps-lab-}; CUPS_WPS_LAB_RADIO_SHARE=/tmp/radio-share CUPS_WPS_LAB_ID=\$i $(printf %q "$LAB_SELF") down; done" || true
    radio_collect
    touch "$RADIO/share/cmd/poweroff"
    local end=$((SECONDS + 30))
    while radio_running && [ $SECONDS -lt $end ]; do sleep 0.2; done
    radio_running && say "radio: the guest did not power off; stopping QEMU"
    radio_stop_qemu
  fi
  [ -d "$RADIO" ] || return 0
  [ -d "$RADIO/share/labs" ] && cp -r "$RADIO/share/labs/." "$RADIO/logs/"
  rm -rf "$RADIO/share" "$RADIO/initrd.img"
  say "radio: down; the guest's console and the labs' logs: $RADIO"
}

cmd_radio_run() {
  [ $# -gt 0 ] || die "radio run: give a program"
  local prog; prog=$(readlink -f "$1") || die "radio run: no program $1"; shift
  # The guest has its own /tmp, /run, /var/tmp: only the lab's own tree of /tmp shows there.
  local shown; shown=$(radio_hosttmp); shown=${shown# hosttmp=}
  case $prog in
    /tmp/"${shown:-/}"/*) ;;
    /tmp/*|/run/*|/var/tmp/*) die "radio run: $prog is where the guest has its own tmpfs; put it elsewhere";;
  esac
  cmd_radio_up || exit 1
  local rc=0
  radio_exec "$(radio_env)"$'\n'"exec $(printf '%q ' "$prog" "$@")" </dev/null || rc=$?
  CUPS_WPS_LAB_QUIET=1 cmd_radio_down
  if [ $rc = 0 ] && [ -z "${CUPS_WPS_LAB_KEEP:-}" ]; then
    rm -rf "$RADIO"; rmdir "$DIR" 2>/dev/null
    say "radio: down"
  else
    say "radio: down; the guest's console and the labs' logs are kept in $RADIO"
  fi
  return $rc
}

cmd_radio_status() {
  if radio_running; then echo "radio guest of lab '$ID': up (QEMU PID $(radio_pid)); $(tr '\n' ' ' <"$RADIO/share/ready")"
  else echo "radio guest of lab '$ID': down"; fi
}

cmd_radio() {
  local sub=${1:-}; [ $# -gt 0 ] && shift
  case $sub in
    up|sh|run|down|status|fetch) "cmd_radio_$sub" "$@";;
    *) die "radio: up, sh, run, down, status or fetch (see lab.d/radio.sh)";;
  esac
}
