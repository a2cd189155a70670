# SPDX-License-Identifier: Apache-2.0
"""Shared pieces of bench/: processes, the lab, statistics, the machine.

Standard library only. See bench/README.md.
"""
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
                # watch's pins in the lab, as the lab's own commands keep them (never the host's /var/lib/cups-wps)
                f"CUPS_WPS_STATEDIR={self.dir}/ws/cups-wps", *argv]

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


def fmt_s(x):
    return "n/a" if x is None else f"{x:.2f} s"


# ---------------------------------------------------------------- the machine
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
