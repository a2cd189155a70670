#!/usr/bin/env python3
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
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LAB = os.path.join(ROOT, "tests", "lab", "cups-wps-lab")
CLK = os.sysconf("SC_CLK_TCK")
DNSSD = "/usr/lib/cups/backend/dnssd"
# Service types CUPS's dnssd backend browses (cups 2.4 backend/dnssd.c); a
# superset of the four cups-wps browses.
BROWSE_TYPES = ("_fax-ipp._tcp", "_ipp._tcp", "_ipp-tls._tcp", "_ipps._tcp", "_pdl-datastream._tcp",
                "_printer._tcp", "_riousbprint._tcp")
POLL_INTERVAL = 0.05


class CannotMeasure(Exception):
    pass


LOADS = []


def log(msg):
    LOADS.append(os.getloadavg()[0])
    print(f"[{time.strftime('%H:%M:%S')}] {msg} (load {LOADS[-1]:.2f})", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes
class Stream:
    """A process whose stdout (or stderr) lines are collected with their arrival time."""

    def __init__(self, argv, name, read="stdout"):
        self.name = name
        self.lines = []
        self.cv = threading.Condition()
        kw = dict(stdin=subprocess.DEVNULL, text=True, bufsize=1, errors="replace")
        if read == "stdout":
            kw.update(stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        else:
            kw.update(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.p = subprocess.Popen(argv, **kw)
        self.pid = self.p.pid
        src = self.p.stdout if read == "stdout" else self.p.stderr
        self.t = threading.Thread(target=self._read, args=(src,), daemon=True)
        self.t.start()

    def _read(self, src):
        for line in src:
            t = time.monotonic()
            with self.cv:
                self.lines.append((t, line.rstrip("\n")))
                self.cv.notify_all()
        with self.cv:
            self.lines.append((time.monotonic(), None))  # EOF
            self.cv.notify_all()

    def mark(self):
        with self.cv:
            return len(self.lines)

    def wait(self, pred, timeout, start=0):
        """Block until pred(lines[start:]) returns non-None (re-checked on every new line)."""
        end = time.monotonic() + timeout
        with self.cv:
            while True:
                r = pred(self.lines[start:])
                if r is not None:
                    return r
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cv.wait(left)

    def since(self, start):
        with self.cv:
            return list(self.lines[start:])

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.p.poll() is None:
            try:
                self.p.send_signal(sig)
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.t.join(2)


def proc_cpu(pid):
    """utime + stime of a process (all its threads, live and exited), seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def proc_mem(pid):
    """VmHWM, VmRSS, RssAnon, Threads and Pss (KiB; Pss shares each page among the processes that map it)."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "VmRSS", "RssAnon", "Threads"):
                out[k] = int(v.split()[0])
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    out["Pss"] = int(line.split()[1])
    except OSError:
        pass
    return out


def task_switches(pid):
    """{tid: voluntary + involuntary context switches} of every live thread."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        n = 0
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        n += int(line.split()[1])
        except OSError:
            continue
        out[tid] = n
    return out


# ---------------------------------------------------------------- the lab
class Lab:
    def __init__(self, lab_id, backend, cups_wps):
        self.env = dict(os.environ, CUPS_WPS_LAB_ID=lab_id, CUPS_WPS_LAB_QUIET="1")
        self.backend = backend
        self.cups_wps = cups_wps
        self.dir = self.cmd("dir").strip()
        self.printers = []   # names, in order

    def cmd(self, *args, timeout=180, check=True):
        r = subprocess.run([LAB, *args], env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise CannotMeasure(f"cups-wps-lab {' '.join(args)} failed: {r.stderr.strip()[-500:]}")
        return r.stdout

    def pid(self, name):
        try:
            with open(os.path.join(self.dir, "pids", name + ".pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def ws(self, argv):
        """argv run on ws: its network, mount and UTS namespaces and its environment."""
        holder = self.pid("holder-ws")
        if holder is None:
            raise CannotMeasure("the lab's workstation is gone")
        return ["nsenter", "-t", str(holder), "-m", "-n", "-u", "--", "env",
                f"DBUS_SYSTEM_BUS_ADDRESS=unix:path={self.dir}/ws/dbus/socket",
                "CUPS_SERVER=127.0.0.1:8631", f"CUPS_STATEDIR={self.dir}/ws/cups/state", *argv]

    def up(self, n_printers):
        log(f"lab up, {n_printers} printers")
        self.cmd("up", "--backend", self.backend)
        self.dir = self.cmd("dir").strip()
        for i in range(1, n_printers + 1):
            name = f"Bench Printer {i}"
            self.cmd("add-printer", name)
            self.printers.append(name)
        with open(os.path.join(self.dir, "bench-policy"), "w"):
            pass   # empty: the default policy (watch-default local admits the lab's printers)

    def _parallel(self, verb, names):
        ps = [subprocess.Popen([LAB, verb, n], env=self.env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for n in names]
        errs = [p.communicate()[1] for p in ps if p.wait() != 0]
        if errs:
            raise CannotMeasure(f"cups-wps-lab {verb}: {errs[0].strip()}")

    def running(self, name):
        pid = self.pid(self.host_of(name) + "-ippeveprinter")
        return pid is not None and os.path.exists(f"/proc/{pid}")

    def host_of(self, name):
        return "p-" + name.lower().replace(" ", "-")

    def set_printers(self, names):
        """Exactly these printers advertise (start or stop ippeveprinters)."""
        stop = [n for n in self.printers if n not in names and self.running(n)]
        start = [n for n in names if not self.running(n)]
        if stop:
            self._parallel("stop-printer", stop)
        if start:
            self._parallel("start-printer", start)

    def start_printers(self, names):
        self._parallel("start-printer", names)

    def restart_ws_avahi(self):
        self.cmd("restart-avahi", "ws")

    def queues(self):
        r = subprocess.run(self.ws(["lpstat", "-v"]), capture_output=True, text=True)
        return [l[len("device for "):].split(":", 1)[0] for l in r.stdout.splitlines() if l.startswith("device for ")]

    def delete_queues(self):
        if self.queues():
            self.cmd("bench-delete-queues")

    def down(self):
        self.cmd("down", check=False)


# ---------------------------------------------------------------- statistics
def mmm(xs, fmt="{:.2f}"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "n/a"
    return "/".join(fmt.format(v) for v in (min(xs), statistics.median(xs), max(xs)))


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def ratio(a, b):
    """a / b of medians, as text."""
    ma, mb = med(a), med(b)
    if ma is None or mb is None or mb == 0:
        return "n/a"
    return f"{ma / mb:.1f}x"


# ---------------------------------------------------------------- (1) listing
def listed_count(kind, out):
    if kind == "wps":
        return sum(1 for l in out.splitlines() if l.startswith("network wps://"))
    names = set()
    for l in out.splitlines():
        if l.startswith("network dnssd://"):
            names.add(l.split("dnssd://", 1)[1].split("._", 1)[0])
    return len(names)


class Listing:
    def __init__(self, lab, reps, lpinfo_reps):
        self.lab = lab
        self.reps = reps
        self.lpinfo_reps = lpinfo_reps
        self.methods = {
            ("wps", "direct"): [os.path.join(lab.dir, "ws", "serverbin", "backend", "wps")],
            ("dnssd", "direct"): [DNSSD],
            ("wps", "lpinfo"): ["lpinfo", "--include-schemes", "wps", "-v"],
            ("dnssd", "lpinfo"): ["lpinfo", "--include-schemes", "dnssd", "-v"],
        }
        self.results = []   # dicts

    def once(self, key):
        """(wall seconds, printers listed, exit status, CPU seconds of the process run directly)."""
        argv = self.lab.ws(self.methods[key])
        with open(os.devnull, "w") as null, open(os.path.join(self.lab.dir, "bench-listing.out"), "w+") as out:
            t0 = time.monotonic()
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=null)
            _, status, ru = os.wait4(p.pid, 0)
            dt = time.monotonic() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            text = out.read()
        # nsenter and env exec in place: this is the backend's own CPU (lpinfo's is not).
        cpu = ru.ru_utime + ru.ru_stime if key[1] == "direct" else None
        return dt, listed_count(key[0], text), p.returncode, cpu

    def record(self, n_label, want, cache, key, dt, listed, rc, cpu):
        self.results.append(dict(n=n_label, want=want, cache=cache, side=key[0], path=key[1], seconds=dt,
                                 listed=listed, rc=rc, cpu=cpu))

    @staticmethod
    def lone_gap(seconds):
        """How long after a listing that took `seconds` its Avahi queriers are surely gone.

        avahi-daemon keeps one querier per record key; a querier re-queries 1, 3, 7,
        15 ... s after it was created, and one nobody uses any more is freed at its
        next re-query (at once if its last query is still unsent). A browse started
        while a querier of its key is alive gets all-for-now one second after that
        querier was created (so often at once); a lone browse after one second.
        """
        for e in (1, 3, 7, 15, 31, 63):
            if e > seconds:
                return e - seconds + 0.3
        return 1.0

    def order(self, r):
        """Rep r's methods, rotated; the lpinfo ones only in the first lpinfo_reps reps."""
        keys = list(self.methods)
        keys = keys[r % len(keys):] + keys[:r % len(keys)]
        return [k for k in keys if k[1] == "direct" or r < self.lpinfo_reps]

    def run(self, n_label, want):
        keys = list(self.methods)
        log(f"listing, {n_label}: cold ({self.reps} x direct, {self.lpinfo_reps} x lpinfo; avahi-daemon on ws "
            f"restarted before each)")
        for r in range(self.reps):
            for key in self.order(r):
                self.lab.restart_ws_avahi()
                self.record(n_label, want, "cold", key, *self.once(key))
        log(f"listing, {n_label}: warm (cache filled, no other browse alive)")
        dt = self.once(keys[0])[0]   # fills the cache; not recorded
        for r in range(self.reps):
            for key in self.order(r):
                time.sleep(self.lone_gap(dt))
                res = self.once(key)
                dt = res[0]
                self.record(n_label, want, "warm", key, *res)
        log(f"listing, {n_label}: warm, another browser of the same types running on ws")
        browsers = [Stream(self.lab.ws(["avahi-browse", "-p", "-k", t]), "avahi-browse") for t in BROWSE_TYPES]
        try:
            time.sleep(1.5)   # every browse past its first all-for-now
            for b in browsers:
                if b.p.poll() is not None:
                    raise CannotMeasure(f"avahi-browse exited: {b.since(0)[-2:]}")
            direct = [k for k in keys if k[1] == "direct"]
            for r in range(self.reps):
                for key in direct[r % 2:] + direct[:r % 2]:
                    self.record(n_label, want, "warm+browser", key, *self.once(key))
        finally:
            for b in browsers:
                b.stop()

    def rows(self):
        out = []
        seen = []
        for d in self.results:
            k = (d["n"], d["cache"], d["path"])
            if k not in seen:
                seen.append(k)
        for n, cache, path in seen:
            sel = lambda side: [d for d in self.results if (d["n"], d["cache"], d["path"], d["side"]) ==
                                (n, cache, path, side)]
            w, c = sel("wps"), sel("dnssd")
            if not w and not c:
                continue
            want = (w or c)[0]["want"]
            tw = [d["seconds"] for d in w]
            tc = [d["seconds"] for d in c]
            lw = "/".join(str(x) for x in sorted({d["listed"] for d in w})) or "-"
            lc = "/".join(str(x) for x in sorted({d["listed"] for d in c})) or "-"
            out.append(dict(n=n, want=want, cache=cache, path=path, wps=tw, dnssd=tc, listed_wps=lw,
                            cpu_wps=med([d["cpu"] for d in w]), cpu_dnssd=med([d["cpu"] for d in c]),
                            listed_dnssd=lc, ratio=(med(tc) / med(tw)) if tw and tc else None,
                            incomplete_wps=sum(1 for d in w if d["listed"] < want or d["rc"] != 0),
                            incomplete_dnssd=sum(1 for d in c if d["listed"] < want or d["rc"] != 0)))
        return out


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
            # An event: its first browse is complete (Avahi's all-for-now).
            if stream.wait(lambda ls: True if any(l is None or "discovery complete" in l for _, l in ls) else None,
                           10) is None:
                raise CannotMeasure("cups-wps watch never reported its first complete view")
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
        lab.start_printers(names)
        want = set(names)

        def poll_ready(lines):
            ready = {}
            for t, l in lines:
                if l is None:
                    raise CannotMeasure("the queue poller died")
                parts = l.split(" ", 2)
                if len(parts) == 3 and parts[1] == "ready":
                    ready.setdefault(parts[2], t)
            return ready if len(ready) >= len(names) else None

        def watch_ready(lines):
            done = {}
            for t, l in lines:
                if l is None:
                    raise CannotMeasure("cups-wps watch exited during the run")
                if l.startswith("cups-wps: registered '"):
                    n = l[len("cups-wps: registered '"):].split("' as queue ", 1)[0]
                    if n in want:
                        done.setdefault(n, t)
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
        if stream:
            res["log"] = [l for _, l in stream.since(log_mark) if l and not l.startswith("cups-wps: registered")][:20]
        if idle > 0:
            res.update(self.idle(pid, idle))
            after = proc_mem(pid)
            res["hwm_kib"] = after.get("VmHWM")
            res["idle_rss_kib"] = after.get("VmRSS")
        self._stop(side, stream)
        return res

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


def fmt_s(x):
    return "n/a" if x is None else f"{x:.2f} s"


# ---------------------------------------------------------------- the table
def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    deb = open("/etc/debian_version").read().strip() if os.path.exists("/etc/debian_version") else "?"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"Debian {deb}, kernel {platform.release()}, {os.cpu_count()} CPUs ({model}), {mem:.0f} GiB"


def versions():
    def pkg(p):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", p], capture_output=True, text=True)
        return r.stdout.strip() or "?"
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no", "--", ".",
                            ":!bench", ":!tests/lab/lab.d/bench.sh"], capture_output=True, text=True).stdout
    tree = f"{head}" + (f" + {len(dirty.splitlines())} modified file(s)" if dirty.strip() else "")
    return (f"cups-wps {tree}; CUPS {pkg('cups-daemon')}, cups-browsed {pkg('cups-browsed')}, "
            f"Avahi {pkg('avahi-daemon')}")


def render(args, listing_rows, qr, sb, started, elapsed):
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
    p("Targets (issue 7):")
    for line in targets(listing_rows, qr, big):
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
    ap.add_argument("--only", choices=("listing", "ready", "setup"), help="run one part only")
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
    lab = Lab(args.lab_id, args.backend, args.cups_wps)
    lab.up(many + 1 if args.only != "setup" else 1)
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
    finally:
        for s in (sniffer, poller):
            if s:
                s.stop()
    elapsed = time.monotonic() - t_begin
    rows = listing.rows()
    if qr is None:
        qr = QueueReady(lab, None, None)
    table = render(args, rows, qr, sb, started, elapsed)
    print(table, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(started=started.isoformat(), machine=machine(), versions=versions(), reps=args.reps,
                           listing=listing.results, queue_ready=qr.results, setup=sb.results if sb else [],
                           table=table), f, indent=1)
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
