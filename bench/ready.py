# SPDX-License-Identifier: Apache-2.0
"""(2)-(4) Queue ready, cost and setup: cups-wps watch and setup against cups-browsed; see bench/README.md."""
import json
import os
import time

from benchlib import CannotMeasure, Stream, fmt_s, log, proc_cpu, proc_mem, task_switches

# ---------------------------------------------------------------- (2)+(3) queue ready, cost
def advert_times(lines, names, since):
    """Times at which the sniffer saw a resolvable advert (an SRV) of one of `names`."""
    out = []
    for t, l in lines:
        if l is None or t < since:
            continue
        parts = l.split(" ", 3)
        if len(parts) == 4 and parts[1] == "srv" and parts[3] in names:
            out.append(t)
    return out


class QueueReady:
    def __init__(self, lab, sniffer, poller):
        self.lab = lab
        self.sniffer = sniffer
        self.poller = poller
        self.results = []

    def _start(self, side):
        if side == "watch":
            s = Stream(self.lab.ws([self.lab.cups_wps, "watch", "--policy",
                                    os.path.join(self.lab.dir, "bench-policy")]), "watch", read="stderr")
            with open(os.path.join(self.lab.dir, "pids", "ws-bench-watch.pid"), "w") as f:
                f.write(f"{s.pid}\n")   # so that the lab's down stops it too
            if s.wait(lambda ls: True if any(l is None or "watching for printers" in l for _, l in ls) else None,
                      10) is None or s.p.poll() is not None:
                raise CannotMeasure(f"cups-wps watch did not start: {s.since(0)[-3:]}")
            return s, s.pid
        pid = int(self.lab.cmd("bench-browsed-start").strip().splitlines()[-1])
        return None, pid

    def _stop(self, side, stream):
        if side == "watch":
            stream.stop()
            try:
                os.unlink(os.path.join(self.lab.dir, "pids", "ws-bench-watch.pid"))
            except OSError:
                pass
        else:
            self.lab.cmd("bench-browsed-stop")

    def rep(self, side, names, timeout, idle=0.0):
        lab = self.lab
        cupsd = lab.pid("ws-cupsd")
        t_start = time.monotonic()
        stream, pid = self._start(side)
        if side == "watch":
            # An event: its first browse is complete (Avahi's all-for-now, once every advert is resolved; with
            # the lab's hosts still busy after thousands of adverts went, their answers may take seconds).
            if stream.wait(lambda ls: True if any(l is None or "discovery complete" in l for _, l in ls) else None,
                           30) is None:
                raise CannotMeasure(f"cups-wps watch never reported its first complete view: {stream.since(0)[-3:]}")
        # Both sides get the same 2 s to settle (cups-browsed says nothing when it is ready).
        time.sleep(max(0.0, t_start + 2.0 - time.monotonic()))
        if side == "watch" and stream.p.poll() is not None:
            raise CannotMeasure("cups-wps watch exited")
        if not os.path.exists(f"/proc/{pid}"):
            raise CannotMeasure(f"{side} exited before the printers came")
        cpu0, cupsd0 = proc_cpu(pid), proc_cpu(cupsd)
        sniff_mark, poll_mark = self.sniffer.mark(), self.poller.mark()
        log_mark = stream.mark() if stream else 0
        t_launch = time.monotonic()
        self.launch(names)
        want = set(names)

        def poll_seen(lines):
            ready = {}
            for t, l in lines:
                if l is None:
                    raise CannotMeasure("the queue poller died")
                parts = l.split(" ", 2)
                if len(parts) == 3 and parts[1] == "ready":
                    ready.setdefault(parts[2], t)
            return ready

        def watch_seen(lines):
            done = {}
            for t, l in lines:
                if l is None:
                    raise CannotMeasure("cups-wps watch exited during the run")
                if l.startswith("cups-wps: registered '"):
                    n = l[len("cups-wps: registered '"):].split("' as queue ", 1)[0]
                    if n in want:
                        done.setdefault(n, t)
            return done

        def poll_ready(lines):
            ready = poll_seen(lines)
            return ready if len(ready) >= len(names) else None

        def watch_ready(lines):
            done = watch_seen(lines)
            return done if len(done) >= len(names) else None

        if side == "watch":
            got = stream.wait(watch_ready, timeout, log_mark)
        else:
            got = self.poller.wait(poll_ready, timeout, poll_mark)
        t_end = time.monotonic()
        polled = poll_ready(self.poller.since(poll_mark)) if side == "watch" else got
        if side == "watch" and polled is None:   # the poller may be one interval behind the log
            polled = self.poller.wait(poll_ready, 2, poll_mark)
        adverts = advert_times(self.sniffer.since(sniff_mark), want, t_launch)
        t0 = min(adverts) if adverts else None
        mem = proc_mem(pid)
        res = dict(side=side, printers=len(names), timeout=timeout, launch_to_advert=(t0 - t_launch) if t0 else None,
                   ready=None, first=None, polled=None, cpu_run=proc_cpu(pid) - cpu0,
                   cpu_total=proc_cpu(pid), cupsd_cpu=proc_cpu(cupsd) - cupsd0, hwm_kib=mem.get("VmHWM"),
                   rss_kib=mem.get("VmRSS"), anon_kib=mem.get("RssAnon"), pss_kib=mem.get("Pss"),
                   threads=mem.get("Threads"), log=[])
        if got is not None and t0 is not None:
            res["ready"] = max(got.values()) - t0
            res["first"] = min(got.values()) - t0
        if polled is not None and t0 is not None:
            res["polled"] = max(polled.values()) - t0
        if got is None:
            res["timed_out_after"] = t_end - t_launch
        # Every queue ready by the end (all, or those by the timeout), in order: the cost per queue.
        seen = got if got is not None else (watch_seen(stream.since(log_mark)) if side == "watch"
                                            else poll_seen(self.poller.since(poll_mark)))
        res["ready_count"] = len(seen)
        res["ready_times"] = sorted(t - t0 for t in seen.values()) if t0 is not None else []
        if stream:
            res["log"] = [l for _, l in stream.since(log_mark) if l and not l.startswith("cups-wps: registered")][:20]
        if idle > 0:
            res.update(self.idle(pid, idle))
            after = proc_mem(pid)
            res["hwm_kib"] = after.get("VmHWM")
            res["idle_rss_kib"] = after.get("VmRSS")
        self._stop(side, stream)
        return res

    def launch(self, names):
        """The printers start advertising."""
        self.lab.start_printers(names)

    def idle(self, pid, seconds):
        """Sample every thread's context switches once a second for `seconds`.

        A wake-up is a context switch of a thread, or a thread that exited
        (it had to run to exit; its last switches are lost with it).
        """
        time.sleep(1.0)   # let the last registration's work drain
        cpu0 = proc_cpu(pid)
        first = task_switches(pid)
        last = dict(first)
        alive = set(first)
        per_second = []
        exits = 0
        end = time.monotonic() + seconds
        prev_total = 0
        while time.monotonic() < end:
            time.sleep(1.0)
            now = task_switches(pid)
            gone = alive - set(now)
            exits += len(gone)
            alive = set(now)
            for tid, n in now.items():
                last[tid] = n
            total = sum(last[t] - first.get(t, 0) for t in last) + exits
            per_second.append(total - prev_total)
            prev_total = total
        active = [i + 1 for i, n in enumerate(per_second) if n > 0]
        return dict(idle_seconds=seconds, idle_cpu=proc_cpu(pid) - cpu0, idle_wakeups=prev_total,
                    idle_thread_exits=exits, idle_active_seconds=active, idle_threads_start=len(first),
                    idle_threads_end=len(alive))

    def reset(self, names):
        lab = self.lab
        lab.set_printers([])
        lab.delete_queues()
        lab.restart_ws_avahi()   # forget the printers' old adverts (each restart has a new UUID)

    def run(self, names, reps, timeout, idle, browsed_reps=None):
        browsed_reps = min(reps, browsed_reps or reps)
        log(f"queue ready, {len(names)} printer(s): {reps} x watch, {browsed_reps} x cups-browsed, alternating")
        for r in range(reps):
            order = ("watch", "cups-browsed") if r % 2 == 0 else ("cups-browsed", "watch")
            for side in order:
                n = reps if side == "watch" else browsed_reps
                if r >= n:
                    continue
                self.reset(names)
                res = self.rep(side, names, timeout, idle=idle if r == n - 1 else 0.0)
                res["rep"] = r + 1
                self.results.append(res)
                log(f"  {side:12s} {len(names):2d} printer(s): all ready {fmt_s(res['ready'])} after the first "
                    f"advert (first {fmt_s(res['first'])}), CPU {res['cpu_run']:.2f} s, "
                    f"peak RSS {res['hwm_kib'] / 1024:.1f} MiB")
        self.reset(names)


# ---------------------------------------------------------------- (4) setup
class SetupBench:
    """`cups-wps setup --pbc` with a printer in setup mode (lab.d/setup.sh): WPS success to queue ready."""

    def __init__(self, lab, sniffer):
        self.lab = lab
        self.sniffer = sniffer
        self.results = []

    def run(self, reps):
        log(f"setup: {reps} x (push button, join, queue ready)")
        self.lab.cmd("ap-up")
        for r in range(reps):
            self.results.append(self.rep(f"Setup Printer {r + 1}"))
            d = self.results[-1]
            log(f"  setup: WPS success to queue ready {fmt_s(d.get('paired_to_ready'))}; printer's join "
                f"{fmt_s(d.get('join'))}; advert to ready {fmt_s(d.get('ours'))} {d.get('error') or ''}")
        self.lab.cmd("ap-down", check=False)

    def rep(self, name):
        lab = self.lab
        host = lab.cmd("add-printer", name, "--wps").strip().splitlines()[-1]
        s = Stream(lab.ws([lab.cups_wps, "setup", "--registrar=hostapd:/run/hostapd/eth0", "--pbc", "--json",
                           "--policy", os.path.join(lab.dir, "bench-policy")]), "setup")
        res = dict(printer=name)
        try:
            def event(name_):
                return lambda ls: next((t for t, l in ls if l is None or f'"event":"{name_}"' in l
                                        or '"event":"failed"' in l), None)
            if s.wait(event("armed"), 30) is None:
                res["error"] = f"setup never armed WPS: {[l for _, l in s.since(0)][-3:]}"
                return res
            sniff_mark = self.sniffer.mark()
            t_press = time.monotonic()
            lab.cmd("press-button", host)
            if s.wait(event("done"), 120) is None:
                res["error"] = "setup did not finish within 120 s"
            lines = s.since(0)
            at = {}
            for t, l in lines:
                if l is None:
                    continue
                try:
                    ev = json.loads(l)
                except ValueError:
                    continue
                at.setdefault(ev.get("event"), (t, ev))
            if "failed" in at:
                res["error"] = at["failed"][1].get("text", "failed")
            adverts = advert_times(self.sniffer.since(sniff_mark), {name}, t_press)
            t_adv = min(adverts) if adverts else None
            t_pair = at.get("paired", at.get("joining", (None,)))[0]
            t_found = at.get("found", (None,))[0]
            t_reg = at.get("registered", (None,))[0]
            if t_pair is not None:
                res["press_to_paired"] = t_pair - t_press
            if t_pair is not None and t_reg is not None:
                res["paired_to_ready"] = t_reg - t_pair
            if t_pair is not None and t_adv is not None:
                res["join"] = t_adv - t_pair
            if t_adv is not None and t_reg is not None:
                res["ours"] = t_reg - t_adv
            if t_adv is not None and t_found is not None:
                res["advert_to_found"] = t_found - t_adv
            if t_found is not None and t_reg is not None:
                res["found_to_ready"] = t_reg - t_found
            if "done" in at:
                res["reported_ms"] = at["done"][1].get("ms")
            return res
        finally:
            s.stop()
            lab.cmd("stop-printer", name, check=False)
            lab.delete_queues()
