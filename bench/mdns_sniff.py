#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Passive mDNS listener: when did each printer start advertising?

Runs on a lab host (inside its network namespace), reads every frame on one
interface through an AF_PACKET socket (sends nothing, joins no group, takes no
packet away from avahi-daemon) and prints one line per printer service
instance named in an mDNS *response*:

    <CLOCK_MONOTONIC seconds> srv|ptr <service type> <instance name>

e.g. "12345.678901 srv _ipp._tcp Bench Printer 3". "srv": the response carries
the instance's SRV record, so it can be resolved (an announcement, or an
answer); "ptr": only a PTR naming it. Avahi answers PTR queries for a service
while it still probes the service's name (the PTR is a shared record), and
answers its SRV only ~0.75 s later: a printer is advertised from its first
"srv". CLOCK_MONOTONIC is shared by every process on the machine, so bench.py
compares these times with its own. Queries (probes too) are skipped; so are
goodbyes (TTL 0). Stops on SIGTERM or when stdout closes.

usage: mdns_sniff.py IFNAME
"""
import os
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
TYPES = (b"_ipp._tcp", b"_ipps._tcp", b"_printer._tcp", b"_pdl-datastream._tcp")


def read_name(msg, off, depth=0):
    """DNS name at off -> (list of labels as bytes, offset after the name)."""
    labels = []
    end = None
    while True:
        if off >= len(msg) or depth > 20:
            raise ValueError("bad name")
        n = msg[off]
        if n == 0:
            off += 1
            break
        if n & 0xC0 == 0xC0:
            if off + 1 >= len(msg):
                raise ValueError("bad pointer")
            ptr = ((n & 0x3F) << 8) | msg[off + 1]
            if end is None:
                end = off + 2
            off = ptr
            depth += 1
            continue
        labels.append(msg[off + 1:off + 1 + n])
        off += 1 + n
    return labels, (end if end is not None else off)


def announcements(msg):
    """Yield (kind, type, instance): "ptr" for a PTR naming an instance, "srv" for its SRV."""
    if len(msg) < 12:
        return
    _id, flags, qd, an, ns, ar = struct.unpack("!6H", msg[:12])
    if not flags & 0x8000:      # a query (also probes): not an announcement
        return
    off = 12
    for _ in range(qd):
        _, off = read_name(msg, off)
        off += 4
    for _ in range(an + ns + ar):
        name, off = read_name(msg, off)
        rtype, _rclass, _ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        rdata_off = off
        off += rdlen
        if _ttl == 0:                             # a goodbye
            continue
        # SRV of "Instance._ipp._tcp.local"
        if rtype == 33 and len(name) == 4 and b".".join(name[1:3]) in TYPES:
            yield "srv", b".".join(name[1:3]).decode(), name[0].decode("utf-8", "replace")
            continue
        # PTR _ipp._tcp.local -> instance (not the _sub and meta PTRs)
        if rtype != 12 or len(name) != 3:
            continue
        svc = b".".join(name[:2])
        if svc not in TYPES:
            continue
        target, _ = read_name(msg, rdata_off)
        if not target:
            continue
        yield "ptr", svc.decode(), target[0].decode("utf-8", "replace")


def udp_payload(frame):
    """Ethernet frame -> UDP payload when it is mDNS (port 5353), else None."""
    if len(frame) < 14:
        return None
    ethertype = struct.unpack("!H", frame[12:14])[0]
    p = frame[14:]
    if ethertype == 0x0800 and len(p) >= 20:
        ihl = (p[0] & 0x0F) * 4
        if p[9] != 17:
            return None
        udp = p[ihl:]
    elif ethertype == 0x86DD and len(p) >= 40:
        if p[6] != 17:
            return None
        udp = p[40:]
    else:
        return None
    if len(udp) < 8 or struct.unpack("!H", udp[0:2])[0] != 5353:
        return None
    return udp[8:]


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((sys.argv[1], 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    print("ready", flush=True)
    while True:
        frame, addr = s.recvfrom(65535)
        t = time.monotonic()
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        payload = udp_payload(frame)
        if payload is None:
            continue
        try:
            seen = set(announcements(payload))
        except (ValueError, struct.error, IndexError):
            continue
        for kind, svc, inst in sorted(seen):
            try:
                print(f"{t:.6f} {kind} {svc} {inst}", flush=True)
            except BrokenPipeError:
                return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
