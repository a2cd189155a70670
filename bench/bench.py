#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""cups-wps against CUPS and cups-browsed, side by side, on the lab.

Run through bench/run (it builds, and takes the lab down whatever happens);
see bench/README.md for what is measured and how. Progress goes to stderr, the
table to stdout, every raw sample to a JSON file (--json).

Exit status: 0 when every figure could be measured (slow or not), 1 when
something could not be measured at all (lab, a side that never answered).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

from benchlib import LOADS, POLL_INTERVAL, CannotMeasure, HERE, Lab, Stream, log, machine, med, mmm, ratio, versions
from listing import Listing
from ready import QueueReady, SetupBench
import scale

SCALE_PARTS = {None: ("cpu", "listing", "watch"), "scale": ("cpu", "listing", "watch"), "scale-cpu": ("cpu",),
               "scale-listing": ("listing",), "scale-watch": ("watch",)}


def render(args, listing_rows, qr, sb, started, elapsed, scale_res=None):
    L = []
    p = L.append
    p(f"cups-wps benchmark: {started:%Y-%m-%d %H:%M %Z}; {machine()}")
    p(f"{versions()}; {args.reps} repetitions ({args.lpinfo_reps} of the lpinfo rows and of cups-browsed with "
      f"the most printers) ({'quick' if args.quick else 'full'} run, {elapsed / 60:.1f} min); "
      f"1-min load average {min(LOADS):.2f}..{max(LOADS):.2f} (other work on the machine adds noise)")
    p("Figures: min/median/max in seconds; ratio = median of the other side / median of cups-wps (>1: cups-wps faster).")
    p("")
    p("(1) Listing printers: `wps` backend vs CUPS's `dnssd` backend, no arguments")
    p("    direct = run on the workstation as root; lpinfo = `lpinfo --include-schemes wps|dnssd -v` through cupsd;")
    p("    cold = ws avahi-daemon restarted just before (empty cache, nothing browsing);")
    p("    warm = cache filled by an earlier listing, no browse of these types alive (Avahi's queriers gone: a lone browse);")
    p("    warm+browser = warm, while `avahi-browse TYPE` runs on ws for each printer type (another browser).")
    p("    listed = printers (wps) or DNS-SD instance names (dnssd) in the output; want = printers advertised.")
    p("    CPU = median CPU seconds (user+system) of the backend process itself, direct runs only.")
    hdr = (f"    {'N':<9}{'cache':<13}{'path':<8}{'wps backend':<17}{'dnssd backend':<17}{'dnssd/wps':<11}"
           f"{'CPU wps|dnssd':<15}{'listed wps|dnssd (want)'}")
    p(hdr)
    for r in listing_rows:
        flag = ""
        if r["incomplete_wps"]:
            flag += f"  ! wps incomplete in {r['incomplete_wps']} run(s)"
        if r["incomplete_dnssd"]:
            flag += f"  ! dnssd incomplete in {r['incomplete_dnssd']} run(s)"
        rt = f"{r['ratio']:.1f}x" if r["ratio"] else "n/a"
        cpu = (f"{r['cpu_wps']:.2f}|{r['cpu_dnssd']:.2f}" if r["cpu_wps"] is not None and r["cpu_dnssd"] is not None
               else "-")
        p(f"    {r['n']:<9}{r['cache']:<13}{r['path']:<8}{mmm(r['wps']):<17}{mmm(r['dnssd']):<17}{rt:<11}"
          f"{cpu:<15}{r['listed_wps']}|{r['listed_dnssd']} ({r['want']}){flag}")
    p("")
    p("(2) Queue ready: from the printers' first resolvable advert (an mDNS response carrying their SRV record, seen")
    p("    by a passive capture on ws) to every queue existing with its driverless PPD and accepting jobs.")
    p("    watch: `cups-wps watch`, timed by its log lines as they come; cups-browsed (CreateIPPPrinterQueues All):")
    p(f"    timed by polling cupsd (CUPS-Get-Printers every {POLL_INTERVAL * 1000:.0f} ms). The poller runs for both sides")
    p("    ('polled'). The printers start 2 s after the side; launch->advert = ippeveprinter start to that first")
    p("    advert (Avahi's probing: neither side's).")
    p(f"    {'printers':<10}{'side':<14}{'all ready':<20}{'first ready':<20}{'polled (all)':<20}{'launch->advert':<16}")
    sizes = sorted({d["printers"] for d in qr.results})
    for n in sizes:
        for side in ("watch", "cups-browsed"):
            ds = [d for d in qr.results if d["printers"] == n and d["side"] == side]
            if not ds:
                continue
            miss = sum(1 for d in ds if d["ready"] is None)
            extra = f"  ! not all ready in {miss} run(s) (timeout {ds[0]['timeout']} s)" if miss else ""
            p(f"    {n:<10}{side:<14}{mmm([d['ready'] for d in ds]):<20}{mmm([d['first'] for d in ds]):<20}"
              f"{mmm([d['polled'] for d in ds]):<20}{mmm([d['launch_to_advert'] for d in ds]):<16}{extra}")
        w = [d["ready"] for d in qr.results if d["printers"] == n and d["side"] == "watch"]
        b = [d["ready"] for d in qr.results if d["printers"] == n and d["side"] == "cups-browsed"]
        p(f"    {n:<10}{'ratio':<14}cups-browsed/watch (all ready) = {ratio(b, w)}")
    p("")
    big = max(sizes) if sizes else 0
    p(f"(3) Cost of watch vs cups-browsed, {big} printers (CPU = utime+stime of the process, all threads)")
    p(f"    {'':<44}{'watch':<20}{'cups-browsed':<20}{'browsed/watch'}")

    def cost(label, key, scale=1.0, fmtx="{:.2f}", n=big):
        w = [d[key] * scale for d in qr.results if d["printers"] == n and d["side"] == "watch" and d.get(key) is not None]
        b = [d[key] * scale for d in qr.results if d["printers"] == n and d["side"] == "cups-browsed"
             and d.get(key) is not None]
        p(f"    {label:<44}{mmm(w, fmtx):<20}{mmm(b, fmtx):<20}{ratio(b, w)}")

    cost("peak RSS, MiB (VmHWM)", "hwm_kib", 1 / 1024, "{:.1f}")
    cost("  at all ready: anonymous RSS, MiB", "anon_kib", 1 / 1024, "{:.1f}")
    cost("  at all ready: PSS, MiB", "pss_kib", 1 / 1024, "{:.1f}")
    cost("CPU s, start to all ready", "cpu_total")
    cost("CPU s, printers' first advert to all ready", "cpu_run")
    cost("cupsd CPU s over that run", "cupsd_cpu")
    idle = [d for d in qr.results if d.get("idle_seconds")]
    for side in ("watch", "cups-browsed"):
        for d in idle:
            if d["side"] != side:
                continue
            act = d["idle_active_seconds"]
            gaps = [b - a for a, b in zip(act, act[1:])]
            period = f", every ~{statistics.median(gaps):.0f} s" if len(gaps) >= 2 else ""
            p(f"    {side} idle {d['idle_seconds']:.0f} s after all ready: CPU {d['idle_cpu']:.2f} s; "
              f"{d['idle_wakeups']} wake-up(s) ({d['idle_thread_exits']} of them thread exits), in {len(act)} of "
              f"{int(d['idle_seconds'])} one-second samples{period}; threads {d['idle_threads_start']}->"
              f"{d['idle_threads_end']}; RSS {d['idle_rss_kib'] / 1024:.1f} MiB")
    p("")
    p("(4) setup: `cups-wps setup --pbc` on a printer in setup mode (WPS enrollee; address, avahi-daemon and")
    p("    ippeveprinter come up only after WPS succeeds, lab.d/setup.sh); hostapd on ws is the registrar.")
    if sb is None or not sb.results:
        p("    not yet measurable: `cups-wps setup` does not exist in this build" if not args.setup_exists else
          "    not measured in this run")
    else:
        R = sb.results
        def row(label, key):
            p(f"    {label:<58}{mmm([d.get(key) for d in R]):<20}")
        p(f"    {'':<58}{'min/median/max'}")
        row("button press -> WPS success (hostapd, wpa_supplicant)", "press_to_paired")
        row("WPS success -> queue ready (what the issue asks)", "paired_to_ready")
        row("  the printer's join: WPS success -> its first advert", "join")
        row("  ours: the printer's first advert -> queue ready", "ours")
        row("    advert -> setup found it (discovery, MAC/UUID match)", "advert_to_found")
        row("    found -> queue ready (registration)", "found_to_ready")
        share = [d["ours"] / d["paired_to_ready"] for d in R if d.get("ours") is not None and d.get("paired_to_ready")]
        if share:
            p(f"    share that is ours: {mmm([100 * x for x in share], '{:.0f}')} %")
        errs = [d["error"] for d in R if d.get("error")]
        if errs:
            p(f"    ! {len(errs)} of {len(R)} run(s) failed: {errs[0][:150]}")
    p("")
    if scale_res:
        scale.render(scale_res, p)
        p("")
    p("Targets (issue 7):")
    for line in targets(listing_rows, qr, big):
        p("    " + line)
    if scale_res:
        p("Targets (issue 18, scale):")
        for line in scale.targets(scale_res):
            p("    " + line)
    return "\n".join(L)


def targets(listing_rows, qr, big):
    out = []
    bad = [r for r in listing_rows if r["ratio"] is not None and r["ratio"] < 5]
    rs = [r["ratio"] for r in listing_rows if r["ratio"] is not None]
    out.append(f"{'met   ' if not bad and rs else 'MISSED'} wps listing >= 5x faster than dnssd in every row "
               f"(ratios {min(rs):.1f}x..{max(rs):.1f}x)" if rs else "n/a    listing ratio")
    top = [r for r in listing_rows if r["cache"] == "warm" and r["path"] == "direct"]
    if top:
        r = max(top, key=lambda r: r["want"])
        m = med(r["wps"])
        out.append(f"{'met   ' if m < 0.5 else 'MISSED'} wps listing < 0.5 s warm at {r['want']} printers "
                   f"(median {m:.2f} s direct; lpinfo "
                   f"{med(next((x['wps'] for x in listing_rows if (x['n'], x['cache'], x['path']) == (r['n'], 'warm', 'lpinfo')), [])) or 0:.2f} s)")
    for n, goal in ((1, 0.7), (big, 3.0)):
        w = med([d["ready"] for d in qr.results if d["printers"] == n and d["side"] == "watch"])
        if w is not None:
            out.append(f"{'met   ' if w < goal else 'MISSED'} watch: {n} printer(s) ready < {goal} s (median {w:.2f} s)")
    w = med([d["hwm_kib"] for d in qr.results if d["printers"] == big and d["side"] == "watch"])
    b = med([d["hwm_kib"] for d in qr.results if d["printers"] == big and d["side"] == "cups-browsed"])
    if w and b:
        out.append(f"{'met   ' if w < b else 'MISSED'} watch uses less memory than cups-browsed "
                   f"({w / 1024:.1f} vs {b / 1024:.1f} MiB peak RSS)")
    idle = [d for d in qr.results if d.get("idle_seconds") and d["side"] == "watch"]
    if idle:
        d = idle[-1]
        # Periodic: activity in three or more separate seconds of the window.
        periodic = len(d["idle_active_seconds"]) >= 3
        out.append(f"{'MISSED' if periodic else 'met   '} watch: no periodic wake-ups when idle "
                   f"({d['idle_wakeups']} in {d['idle_seconds']:.0f} s, in {len(d['idle_active_seconds'])} "
                   f"separate second(s))")
    return out


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke run: fewer printers, repetitions, idle time")
    ap.add_argument("--reps", type=int, help="repetitions of every comparison (default 5, quick 2)")
    ap.add_argument("--backend", required=True)
    ap.add_argument("--cups-wps", required=True)
    ap.add_argument("--lab-id", default="bench")
    ap.add_argument("--json", help="write every raw sample here")
    ap.add_argument("--only", choices=("listing", "ready", "setup", "scale", "scale-cpu", "scale-listing",
                                       "scale-watch"), help="run one part only")
    ap.add_argument("--discovery-cost", help="bench/discovery_cost, built with -DCUPS_WPS_BENCH=ON (scale rows)")
    args = ap.parse_args()
    args.reps = args.reps or (2 if args.quick else 5)
    # The slowest rows (lpinfo; cups-browsed with 21 printers, ~50 s each) run fewer times,
    # to keep a full run near 15 minutes.
    args.lpinfo_reps = args.slow_reps = min(args.reps, 1 if args.quick else 3)
    few, many, adverts = (1, 5, 50) if args.quick else (1, 20, 200)
    idle = 10.0 if args.quick else 60.0
    help_out = subprocess.run([args.cups_wps, "--help"], capture_output=True, text=True)
    args.setup_exists = any(l.strip().startswith("setup ") for l in (help_out.stdout + help_out.stderr).splitlines())

    started = datetime.datetime.now().astimezone()
    t_begin = time.monotonic()
    scale_parts = SCALE_PARTS.get(args.only, ())
    scale_res = None
    if args.only == "scale-cpu":   # no lab
        scale_res = scale.run(args, None, None, scale_parts)
        return finish(args, started, t_begin, [], QueueReady(None, None, None), None, scale_res)
    lab = Lab(args.lab_id, args.backend, args.cups_wps)
    lab.up(1 if args.only == "setup" else scale.ADVERT_HOSTS if args.only and args.only.startswith("scale")
           else many + 1)
    names = lab.printers
    listing = Listing(lab, args.reps, args.lpinfo_reps)
    qr = sb = None
    sniffer = poller = None
    try:
        if args.only in (None, "listing"):
            for n in ((few,) if args.quick else (few, many)):
                lab.set_printers(names[:n])
                lab.delete_queues()
                listing.run(f"{n}", n)
            lab.set_printers(names[:many])
            lab.cmd("bench-adverts", str(adverts))
            time.sleep(1.0)
            listing.run(f"{many}+{adverts}", many + adverts)
            lab.cmd("bench-adverts", "0")
        sniffer = Stream(lab.ws(["python3", os.path.join(HERE, "mdns_sniff.py"), "eth0"]), "sniffer")
        poller = Stream(lab.ws(["python3", os.path.join(HERE, "queue_poll.py"), str(POLL_INTERVAL)]), "poller")
        for s in (sniffer, poller):
            if s.wait(lambda ls: True if ls else None, 10) is None or s.lines[0][1] != "ready":
                raise CannotMeasure(f"the {s.name} did not start: {s.lines[:2]}")
        qr = QueueReady(lab, sniffer, poller)
        if args.only in (None, "ready"):
            qr.run(names[:1], args.reps, 30, 0.0)
            qr.run(names[:many + 1], args.reps, 90 if not args.quick else 60, idle, args.slow_reps)
        if args.only in (None, "setup") and args.setup_exists:
            sb = SetupBench(lab, sniffer)
            sb.run(args.reps)
        if scale_parts:
            poller.stop()   # every 50 ms, with a thousand queues, it would load cupsd; scale polls its own way
            poller = None
            scale_res = scale.run(args, lab, sniffer, scale_parts)
    finally:
        for s in (sniffer, poller):
            if s:
                s.stop()
    if qr is None:
        qr = QueueReady(lab, None, None)
    return finish(args, started, t_begin, listing.results, qr, sb, scale_res, listing.rows())


def finish(args, started, t_begin, listing_results, qr, sb, scale_res, rows=()):
    """Prints the table, writes the JSON; the exit status."""
    elapsed = time.monotonic() - t_begin
    rows = list(rows)
    table = render(args, rows, qr, sb, started, elapsed, scale_res)
    print(table, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(started=started.isoformat(), machine=machine(), versions=versions(), reps=args.reps,
                           loads=[min(LOADS), max(LOADS)] if LOADS else None, elapsed_s=elapsed,
                           listing=listing_results, queue_ready=qr.results, setup=sb.results if sb else [],
                           scale=scale_res or {}, table=table), f, indent=1)
        log(f"raw samples: {args.json}")
    # Could not measure: a side that never produced a figure at all.
    missing = []
    for r in rows:
        if not r["wps"] or not r["dnssd"]:
            missing.append(f"listing {r['n']} {r['cache']} {r['path']}")
    for d in qr.results:
        if d["launch_to_advert"] is None:
            missing.append(f"{d['side']} {d['printers']}: no printer advert was seen")
    if sb and not any(d.get("paired_to_ready") is not None for d in sb.results):
        missing.append("setup: no run got from WPS success to a ready queue")
    if scale_res and scale_res.get("error"):
        missing.append("scale: " + scale_res["error"])
    if missing:
        log("could not measure: " + "; ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CannotMeasure as e:
        log(f"could not measure: {e}")
        sys.exit(1)
