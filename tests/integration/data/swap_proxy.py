#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An on-path attacker for the identity tests: a TCP relay that sends its
first N connections to the real printer and every later one to an impostor,
as someone who can redirect a printer's traffic (ARP or DHCP spoofing) would
once a client has checked the printer. It sees only ciphertext.

    swap_proxy.py LISTEN_PORT REAL_HOST:PORT IMPOSTOR_HOST:PORT N

Prints one line per connection, "connection K -> real|impostor", flushed.
"""
import socket
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    port = int(sys.argv[1])
    real = sys.argv[2].rsplit(":", 1)
    impostor = sys.argv[3].rsplit(":", 1)
    first = int(sys.argv[4])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", port))
    listener.listen(16)
    print("listening", flush=True)
    count = 0
    while True:
        client, _ = listener.accept()
        count += 1
        name, (host, p) = ("real", real) if count <= first else ("impostor", impostor)
        print(f"connection {count} -> {name}", flush=True)
        try:
            upstream = socket.create_connection((host, int(p)), timeout=10)
            upstream.settimeout(None)
        except OSError:
            client.close()
            continue
        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()


if __name__ == "__main__":
    main()
