# SPDX-License-Identifier: Apache-2.0
"""(1) Listing: the wps backend against CUPS's dnssd backend; see bench/README.md."""
import os
import subprocess
import time

from benchlib import BROWSE_TYPES, DNSSD, CannotMeasure, Stream, log, med

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

    def cold_and_warm(self, n_label, want, reps):
        """reps cold samples of each method (ws avahi-daemon restarted before each), then reps warm ones."""
        for r in range(reps):
            for key in self.order(r):
                self.lab.restart_ws_avahi()
                self.record(n_label, want, "cold", key, *self.once(key))
        log(f"listing, {n_label}: warm (cache filled, no other browse alive)")
        dt = self.once(next(iter(self.methods)))[0]   # fills the cache; not recorded
        for r in range(reps):
            for key in self.order(r):
                time.sleep(self.lone_gap(dt))
                res = self.once(key)
                dt = res[0]
                self.record(n_label, want, "warm", key, *res)

    def run(self, n_label, want):
        log(f"listing, {n_label}: cold ({self.reps} x direct, {self.lpinfo_reps} x lpinfo; avahi-daemon on ws "
            f"restarted before each)")
        self.cold_and_warm(n_label, want, self.reps)
        keys = list(self.methods)
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
