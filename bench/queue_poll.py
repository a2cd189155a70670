#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Poll cupsd for queues becoming ready; one line per change on stdout.

Runs on the lab's workstation (cupsd on 127.0.0.1:631 there). Every INTERVAL
seconds it sends one CUPS-Get-Printers request and prints, for each queue
whose state changed:

    <CLOCK_MONOTONIC seconds> exists|ready|gone <queue name>

"ready" means what `cups-wps add` means: the queue exists, its driverless
PPD exists (printer-make-and-model is set and is not "Local Raw Printer") and
it accepts jobs. The time is when the answer came back. Stops on SIGTERM or
when stdout closes.

usage: queue_poll.py [INTERVAL] [HOST:PORT]     (default 0.05 127.0.0.1:631)
"""
import http.client
import os
import signal
import struct
import sys
import time

RAW = "Local Raw Printer"
WANTED = ("printer-name", "printer-make-and-model", "printer-is-accepting-jobs", "device-uri")


def attr(tag, name, value):
    n = name.encode()
    return struct.pack("!BH", tag, len(n)) + n + struct.pack("!H", len(value)) + value


def get_printers_request(req_id):
    body = struct.pack("!BBHI", 2, 0, 0x4002, req_id) + b"\x01"
    body += attr(0x47, "attributes-charset", b"utf-8")
    body += attr(0x48, "attributes-natural-language", b"en")
    for i, a in enumerate(WANTED):
        body += attr(0x44, "requested-attributes" if i == 0 else "", a.encode())
    return body + b"\x03"


def parse_printers(data):
    """IPP response -> (status, list of {attribute: first value})."""
    if len(data) < 8:
        raise ValueError("short IPP response")
    status = struct.unpack("!H", data[2:4])[0]
    printers, cur, off, last = [], None, 8, None
    while off < len(data):
        tag = data[off]
        off += 1
        if tag == 0x03:
            break
        if tag < 0x10:
            cur = {} if tag == 0x04 else None
            if cur is not None:
                printers.append(cur)
            continue
        nlen = struct.unpack("!H", data[off:off + 2])[0]
        name = data[off + 2:off + 2 + nlen].decode("utf-8", "replace")
        off += 2 + nlen
        vlen = struct.unpack("!H", data[off:off + 2])[0]
        value = data[off + 2:off + 2 + vlen]
        off += 2 + vlen
        if nlen:
            last = name
        elif cur is not None and last in cur:
            continue            # an additional value: keep the first
        if cur is None:
            continue
        if tag == 0x22:
            cur[last] = value == b"\x01"
        elif tag in (0x21, 0x23):
            cur[last] = struct.unpack("!i", value)[0]
        else:
            cur[last] = value.decode("utf-8", "replace")
    return status, printers


def ready(p):
    mm = p.get("printer-make-and-model", "")
    return bool(mm) and mm != RAW and p.get("printer-is-accepting-jobs") is True


def main():
    interval = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
    server = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1:631"
    host, port = server.rsplit(":", 1)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    conn, req_id, state = None, 0, {}
    print("ready", flush=True)
    while True:
        t_next = time.monotonic() + interval
        req_id += 1
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
            conn.request("POST", "/", get_printers_request(req_id), {"Content-Type": "application/ipp"})
            resp = conn.getresponse()
            data = resp.read()
            t = time.monotonic()
            status, printers = parse_printers(data)
        except (OSError, http.client.HTTPException, ValueError, struct.error) as e:
            print(f"{time.monotonic():.6f} error {type(e).__name__}", flush=True)
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(interval)
            continue
        now = {}
        if status < 0x0400:     # client-error-not-found (0x0406): no queues at all
            for p in printers:
                if "printer-name" in p:
                    now[p["printer-name"]] = "ready" if ready(p) else "exists"
        for name, st in now.items():
            if state.get(name) != st:
                print(f"{t:.6f} {st} {name}", flush=True)
        for name in state:
            if name not in now:
                print(f"{t:.6f} gone {name}", flush=True)
        state = now
        time.sleep(max(0.0, t_next - time.monotonic()))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(0)
