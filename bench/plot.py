#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The cost curves of a bench/run as SVG plots, from its JSON file.

usage: plot.py BENCH.json [MORE.json ...] OUTDIR

Several runs (say `--only listing` and `--only scale` of one tree, back to
back) are drawn as one: their rows together, every run named in the caption.

Writes, where the run has the figures (cups-wps and the other side on the
same axes, time against the number of printers, both axes logarithmic):

  listing.svg        the wps backend and `cups-wps list` against CUPS's dnssd
                     backend, cold and warm (medians; direct runs)
  queue-ready.svg    `cups-wps watch` against cups-browsed: all queues ready
                     (a run cut off at its bound is drawn at the bound, open)
  discovery-cpu.svg  Discovery's instructions against N, this tree and the
                     tree before linear discovery (bench/data)
  per-queue.svg      seconds per queue along the largest queue-ready run: the
                     cost of one more queue against the queues there already

Needs matplotlib (Debian: python3-matplotlib). The caption of each plot names
the run (date, tree) it comes from.
"""
import json
import os
import statistics
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

OURS, THEIRS = "#1f77b4", "#d62728"


def caption(run):
    if run.get("merged"):
        return " + ".join(caption(r) for r in run["merged"])
    tree = run.get("versions", "").split(";")[0]
    loads = run.get("loads")
    load = f"; load {loads[0]:.1f}..{loads[1]:.1f}" if loads else ""
    return f"bench/run {run.get('started', '')[:16]}, {tree}{load}"


def n_of(label):
    """'20+200' -> 220, '2000 (cache 16384)' -> 2000."""
    head = str(label).split(" ")[0]
    return sum(int(x) for x in head.split("+"))


def medians(samples, key):
    out = {}
    for d in samples:
        out.setdefault(key(d), []).append(d["seconds"])
    return {k: statistics.median(v) for k, v in out.items()}


def finish(fig, ax, run, title, path, xlabel="printers", ylabel="seconds"):
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=11)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.text(0.01, 0.01, caption(run), fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    print(path)


def plot_listing(run, out):
    rows = [d for d in run.get("listing", []) if d["path"] == "direct" and d["cache"] in ("cold", "warm")]
    rows += run.get("scale", {}).get("listing", [])
    if not rows:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    m = medians(rows, lambda d: (d["side"], d["cache"], str(d["n"])))
    style = {"wps": (OURS, "o", "wps backend"), "list": ("#2ca02c", "s", "cups-wps list"),
             "dnssd": (THEIRS, "^", "CUPS dnssd backend")}
    for side, (color, marker, name) in style.items():
        for cache, ls in (("cold", "-"), ("warm", "--")):
            pts = sorted((n_of(n), v) for (s, c, n), v in m.items()
                         if s == side and c == cache and "cache " not in n)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], ls, color=color, marker=marker,
                        label=f"{name}, {cache}")
            raised = [(n_of(n), v) for (s, c, n), v in m.items() if s == side and c == cache and "cache " in n]
            if raised:
                ax.plot([p[0] for p in raised], [p[1] for p in raised], marker, color=color, fillstyle="none",
                        markersize=9, label=f"{name}, {cache}, avahi cache raised")
    finish(fig, ax, run, "Listing printers: time against N (medians)", os.path.join(out, "listing.svg"))


def plot_ready(run, out):
    rows = [d for d in run.get("queue_ready", []) + run.get("scale", {}).get("queue_ready", [])]
    if not rows:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for side, color, marker in (("watch", OURS, "o"), ("cups-browsed", THEIRS, "^")):
        done = {}
        cut = {}
        for d in rows:
            if d["side"] != side:
                continue
            if d["ready"] is not None:
                done.setdefault(d["printers"], []).append(d["ready"])
            elif d.get("bound"):
                cut[d["printers"]] = d["bound"]
        pts = sorted((n, statistics.median(v)) for n, v in done.items())
        label = "cups-wps watch" if side == "watch" else "cups-browsed"
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "-", color=color, marker=marker, label=label)
        if cut:
            ax.plot(list(cut), list(cut.values()), marker, color=color, fillstyle="none", markersize=10,
                    linestyle="none", label=f"{label}: cut off at its bound (> bound)")
    finish(fig, ax, run, "All queues ready after the printers' first advert", os.path.join(out, "queue-ready.svg"))


def plot_cpu(run, out):
    sc = run.get("scale", {})
    cpu = sc.get("discovery_cpu", [])
    if not cpu:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for mode, ls in (("burst", "-"), ("trickle", ":")):
        pts = sorted((d["n"], d["instructions"]) for d in cpu if d["mode"] == mode)
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], ls, color=OURS, marker="o",
                    label=f"this tree, {'one burst' if mode == 'burst' else 'one reply per loop iteration'}")
    before = sc.get("discovery_cpu_before", {}).get("callgrind", [])
    if before:
        ax.plot([d["n"] for d in before], [d["instructions"] for d in before], "-", color=THEIRS, marker="^",
                label="before (one rebuild per advert)")
    ns = sorted({d["n"] for d in cpu})
    base = min((d for d in cpu if d["mode"] == "burst"), key=lambda d: d["n"])
    ax.plot(ns, [base["per_printer"] * n for n in ns], color="#999999", linewidth=0.8, label="linear")
    finish(fig, ax, run, "Discovery: instructions against N (callgrind)", os.path.join(out, "discovery-cpu.svg"),
           ylabel="instructions")


def plot_per_queue(run, out, window=20):
    rows = [d for d in run.get("scale", {}).get("queue_ready", []) if len(d.get("ready_times", [])) > window]
    if not rows:
        return
    top = max(d["printers"] for d in rows)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for d in (x for x in rows if x["printers"] == top):
        t = d["ready_times"]
        k = list(range(window, len(t) + 1, max(1, window // 2)))
        v = [(t[i - 1] - t[i - window]) / window for i in k]
        ax.plot(k, v, "-", color=OURS if d["side"] == "watch" else THEIRS,
                label=f"{'cups-wps watch' if d['side'] == 'watch' else 'cups-browsed'}, {top} printers")
    finish(fig, ax, run, f"Seconds per queue (over {window}) against the queues there already",
           os.path.join(out, "per-queue.svg"), xlabel="queues ready", ylabel="seconds per queue")


def merge(runs):
    """One run from several: the rows of all, the scale parts of all."""
    if len(runs) == 1:
        return runs[0]
    out = dict(merged=runs, listing=[], queue_ready=[], scale={})
    for r in runs:
        out["listing"] += r.get("listing") or []
        out["queue_ready"] += r.get("queue_ready") or []
        for k, v in (r.get("scale") or {}).items():
            if isinstance(v, list):
                out["scale"].setdefault(k, []).extend(v)
            else:
                out["scale"].setdefault(k, v)
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    runs = []
    for path in sys.argv[1:-1]:
        with open(path) as f:
            runs.append(json.load(f))
    out = sys.argv[-1]
    os.makedirs(out, exist_ok=True)
    run = merge(runs)
    for fn in (plot_listing, plot_ready, plot_cpu, plot_per_queue):
        fn(run, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
