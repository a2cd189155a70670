#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Adds a queue with ppd-name, as the printer dialogs do, and times it.

Runs on the lab's workstation (CUPS_SERVER is ws's cupsd), as root:

    ppd_add.py QUEUE DEVICE-URI PPD-NAME

One CUPS-Add-Modify-Printer with device-uri and ppd-name (pycups
addPrinter, which cups-pk-helper's PrinterAdd and system-config-printer
send the same way; cupsd runs the driver's `cat` before it answers), then
enable and accept, then one CUPS-Get-Printers to see the queue ready: it
exists, accepts jobs and has a driverless PPD. Prints one JSON line:
{"add": s, "ready": s, "ok": bool, "error": "..."}; "ready" is from before
the request to the queue seen ready. The queue is deleted again.
"""
import json
import sys
import time

import cups


def main(queue, uri, ppd):
    conn = cups.Connection()
    out = {"add": None, "ready": None, "ok": False, "error": ""}
    t0 = time.monotonic()
    try:
        conn.addPrinter(queue, ppdname=ppd, device=uri)
        out["add"] = time.monotonic() - t0
        conn.enablePrinter(queue)
        conn.acceptJobs(queue)
        attrs = conn.getPrinterAttributes(queue, requested_attributes=[
            "printer-is-accepting-jobs", "printer-make-and-model", "printer-state"])
        out["ready"] = time.monotonic() - t0
        out["ok"] = bool(attrs.get("printer-is-accepting-jobs")) and \
            attrs.get("printer-make-and-model", "") not in ("", "Local Raw Printer")
    except cups.IPPError as e:
        out["error"] = str(e)
    finally:
        try:
            conn.deletePrinter(queue)
        except cups.IPPError:
            pass
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
