#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Helpers of cups-wps-lab (lab.d/router.sh, lab.d/wps.sh). Debian's python3 only.

  wlan.py frames AP_MAC STA_MAC SSID UUID DPID NAME SERIAL
      The 802.11 frames a printer's radio sends when its WPS run starts, as
      hex for hostapd's MGMT_RX_PROCESS, one a line: a Probe Request, an
      (open) Authentication and an Association Request, the probe and the
      association with the WPS IE of the printer's wpa_supplicant (UUID-E,
      device password id DPID: 0 PIN, 4 push button; device NAME, SERIAL).
  wlan.py monitor SOCKET
      Attaches to a hostapd/wpa_supplicant control socket, prints "ready"
      once attached, then every event (without its <level> prefix), one a
      line, until killed or the daemon goes away. On SIGUSR1 it sends PING
      through the same socket and prints "mark" when that PING's PONG comes:
      every event the daemon sent before it has been printed by then (a
      negative check reads up to "mark" before it says "no such event").
  wlan.py cred-ok CONF SSID < PASSPHRASE
      Exit 0 when the last network block of wpa_supplicant's CONF (as WPS
      wrote it) holds SSID and the passphrase read from stdin (as a quoted
      passphrase or as the PSK derived from it).
"""
import collections
import hashlib
import os
import re
import signal
import socket
import sys
import uuid as uuidlib


def mac(text):
    return bytes.fromhex(text.replace(":", ""))


def attr(kind, value):  # a WSC attribute: type, length, value
    return kind.to_bytes(2, "big") + len(value).to_bytes(2, "big") + value


def ie(eid, body):
    return bytes([eid, len(body)]) + body


WFA_V2 = attr(0x1049, bytes.fromhex("00372a000120"))  # WFA vendor extension: Version2 2.0
RATES = ie(1, bytes.fromhex("82848b960c121824"))


def frames(ap, sta, ssid, uuid_e, dpid, name, serial):
    ap, sta = mac(ap), mac(sta)
    bcast = b"\xff" * 6
    # Probe Request: WSC 2.0 enrollee attributes, as wpa_supplicant builds them.
    wsc = b"".join([
        attr(0x104A, b"\x10"),                                  # Version
        attr(0x103A, b"\x00"),                                  # Request Type: enrollee, info only
        attr(0x1008, (0x2388).to_bytes(2, "big")),              # Config Methods, as in its M1
        attr(0x1047, uuidlib.UUID(uuid_e).bytes),               # UUID-E
        attr(0x1054, bytes.fromhex("00030050f2040001")),        # Primary Device Type: printer
        attr(0x103C, b"\x01"),                                  # RF Bands: 2.4 GHz
        attr(0x1002, b"\x00\x00"),                              # Association State
        attr(0x1009, b"\x00\x00"),                              # Configuration Error
        attr(0x1012, int(dpid).to_bytes(2, "big")),             # Device Password ID
        attr(0x1021, b"cups-wps lab"), attr(0x1023, b"wpas-wired"), attr(0x1024, b"1"),
        attr(0x1011, name.encode()[:32]), attr(0x1042, serial.encode()[:32]),
        WFA_V2])
    probe = (b"\x40\x00\x00\x00" + bcast + sta + bcast + b"\x00\x00" + ie(0, b"") + RATES
             + ie(0xDD, bytes.fromhex("0050f204") + wsc))
    header = lambda fc: fc + b"\x00\x00" + ap + sta + ap + b"\x00\x00"
    # Authentication: open system, sequence 1, status 0.
    auth = header(b"\xb0\x00") + (0).to_bytes(2, "little") + (1).to_bytes(2, "little") + (0).to_bytes(2, "little")
    # Association Request: ESS, listen interval 10; SSID, rates, and a WSC IE
    # (request type: enrollee, open 802.1X) instead of an RSN IE: "WPS is used".
    wsc_assoc = attr(0x104A, b"\x10") + attr(0x103A, b"\x01") + WFA_V2
    assoc = (header(b"\x00\x00") + (0x0001).to_bytes(2, "little") + (10).to_bytes(2, "little")
             + ie(0, ssid.encode()) + RATES + ie(0xDD, bytes.fromhex("0050f204") + wsc_assoc))
    for f in (probe, auth, assoc):
        print(f.hex())


def monitor(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    # An abstract address (in the host's network namespace): nothing is left
    # behind when the monitor is killed, whatever the signal.
    s.bind(f"\0cups-wps-lab-monitor-{os.getpid()}")
    try:
        s.connect(path)
        s.settimeout(10)
        s.send(b"ATTACH")
        while True:
            reply = s.recv(65536).decode(errors="replace")
            if not reply.startswith("<"):
                break
        if reply.strip() != "OK":
            sys.exit(f"wlan.py: ATTACH to {path}: {reply.strip()}")
        # The PINGs in flight, in order: a PONG answers the oldest one.
        pings = collections.deque()

        def ping(kind):
            pings.append(kind)
            s.send(b"PING")

        signal.signal(signal.SIGUSR1, lambda *_: ping("mark"))
        print("ready", flush=True)
        # A PING now and then: recv then notices a daemon that went away.
        s.settimeout(5)
        while True:
            try:
                m = s.recv(65536).decode(errors="replace")
            except socket.timeout:
                ping("alive")
                continue
            if m.startswith("<"):
                print(re.sub(r"^<\d+>", "", m).rstrip("\n"), flush=True)
            elif m.strip() == "PONG" and pings and pings.popleft() == "mark":
                print("mark", flush=True)
    except (ConnectionRefusedError, FileNotFoundError) as e:
        sys.exit(f"wlan.py: {path}: {e}")


def cred_ok(conf, ssid):
    passphrase = sys.stdin.readline().rstrip("\n")
    blocks = re.findall(r"network=\{(.*?)\n\}", open(conf).read(), re.S)
    if not blocks:
        return False
    fields = dict(re.findall(r"^\s*(\w+)=(.*)$", blocks[-1], re.M))
    psk = fields.get("psk", "")
    derived = hashlib.pbkdf2_hmac("sha1", passphrase.encode(), ssid.encode(), 4096, 32).hex()
    return fields.get("ssid") == f'"{ssid}"' and psk in (f'"{passphrase}"', derived)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "frames":
        frames(*args)
    elif cmd == "monitor":
        monitor(args[0])
    elif cmd == "cred-ok":
        sys.exit(0 if cred_ok(*args) else 1)
    else:
        sys.exit(__doc__)
