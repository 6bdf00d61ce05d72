#!/usr/bin/env python3
"""Three replicas behind HAProxy on loopback (issue 16), end to end.

deploy/haproxy.cfg as shipped (only its global section, bind line and server
lines are swapped for a non-root, loopback setup) in front of three
`carefinder serve` processes, each with its own copy of a small database
(edition A, imported from tests/fixtures) and its own feedback file. While a
few client threads search through HAProxy, checking every answer, and another
posts 50 problem reports:
  1. one replica is killed with SIGKILL and started again on its port;
  2. edition B is published to the three replicas one after another, the way
     deploy/publish.sh does it (copy, `carefinder publish`, wait for /healthz to
     name B's sha256).
Asserts: no failed request and no wrong answer (each search is wholly A or
wholly B; a request that meets a kept-alive connection closed before any
answer is sent again once, as a browser does, and counted), every replica ends on B, and after `carefinder feedback --gather`
of the three files (twice) each of the 50 reports is there exactly once.
Exit 77 (skipped) only when haproxy is not installed.
"""
import argparse
import csv
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
LIBERTY_KEY = "liberty-house-detox"
NAME_A = "Medically supervised detox"
NAME_B = "Medically supervised detox and stabilisation"
SEARCH = "/api/v1/search?near=92374"
REPORTS = 50
CLIENT_THREADS = 3
STARTUP_SECONDS = 20
SWITCH_SECONDS = 20


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


# ---- the two editions ------------------------------------------------------

def build_editions(binary, source, work):
    """a.db as the fixture is; b.db renames one listing and adds one near it."""
    fixture = os.path.join(source, "tests/fixtures/importer/valid_listings.csv")
    gazetteer = os.path.join(source, "tests/fixtures/importer/gazetteer")
    with open(fixture, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    edited = []
    for row in rows:
        row = dict(row)
        if row["source_key"] == LIBERTY_KEY:
            row["name"] = NAME_B
            extra = dict(row, source_key="liberty-house-outpatient", name="Outpatient after detox")
            edited.append(extra)
        edited.append(row)
    b_csv = os.path.join(work, "listings_b.csv")
    with open(b_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(edited)
    out = {}
    for edition, csv_path in (("a", fixture), ("b", b_csv)):
        db = os.path.join(work, f"{edition}.db")
        r = run([binary, "import", "--db", db, "--gazetteer", gazetteer, csv_path])
        if r.returncode != 0:
            sys.exit(f"import of edition {edition} failed ({r.returncode}): {r.stderr}{r.stdout}")
        with sqlite3.connect(db) as c:  # one self-contained file, no -wal beside it
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        out[edition] = db
    return out


# ---- replicas --------------------------------------------------------------

class Replica:
    def __init__(self, binary, root, name, db_a):
        self.binary, self.name = binary, name
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.db = os.path.join(self.dir, "carefinder.db")
        self.feedback = os.path.join(self.dir, "feedback.db")
        shutil.copyfile(db_a, self.db)
        self.port = 0
        self.proc = None
        self.starts = 0

    def start(self):
        self.starts += 1
        err = open(os.path.join(self.dir, f"serve-{self.starts}.log"), "w")
        for attempt in range(50):  # the old socket may linger a moment after a kill
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--db", self.db, "--port", str(self.port),
                 "--immutable", "--feedback", self.feedback, "--trusted-proxy", "127.0.0.1",
                 "--feedback-per-client", "1000", "--feedback-per-minute", "1000"],
                stdout=subprocess.PIPE, stderr=err, text=True)
            line = self.proc.stdout.readline()
            m = re.search(r"listening on http://[^:]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                return
            self.proc.wait(timeout=10)
            time.sleep(0.1)
        sys.exit(f"{self.name} did not start (see {err.name})")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def health(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            c.request("GET", "/healthz")
            r = c.getresponse()
            return r.status, json.loads(r.read() or b"{}")
        finally:
            c.close()


# ---- HAProxy ---------------------------------------------------------------

def haproxy_config(shipped, work, port, replicas):
    """The shipped file with a non-root global, our bind and our servers."""
    text = open(shipped, encoding="utf-8").read()
    sock = os.path.join(work, "haproxy.sock")
    global_section = (f"global\n    stats socket {sock} mode 600 level admin\n"
                      "    log stderr format raw local0 warning\n\n")
    text = re.sub(r"(?ms)^global\n.*?(?=^defaults)", global_section, text)
    text, binds = re.subn(r"(?m)^    bind 127\.0\.0\.1:\d+$", f"    bind 127.0.0.1:{port}", text)
    text = re.sub(r"(?m)^    server r\d.*\n", "", text)
    text += "".join(f"    server {r.name} 127.0.0.1:{r.port}\n" for r in replicas)
    if binds != 1:
        sys.exit("deploy/haproxy.cfg: expected one 'bind 127.0.0.1:PORT' line")
    path = os.path.join(work, "haproxy.cfg")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path, sock


def haproxy_command(sock, command):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(sock)
        s.sendall(command.encode() + b"\n")
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out.decode()


def servers_up(sock):
    """{server name: is it UP} from HAProxy's own view."""
    out = {}
    for line in haproxy_command(sock, "show stat").splitlines():
        parts = line.split(",")
        if len(parts) > 17 and parts[0] == "replicas" and parts[1] not in ("BACKEND",):
            out[parts[1]] = parts[17].startswith("UP")
    return out


def wait_for(what, predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.1)
    sys.exit(f"timed out waiting for {what}")


# ---- load ------------------------------------------------------------------

# What a browser does (RFC 9112 9.3.1): a request sent on a kept-alive
# connection that closes before any answer is sent again once on a new
# connection, if it is idempotent (every request here is: the searches, and
# the reports by their report_id). Counted and printed; more than this many
# fail the test, as would any error on a new connection.
STALE_RETRIES_ALLOWED = 5
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class Client:
    """One kept-alive connection to HAProxy that retries like a browser."""

    def __init__(self, port, load):
        self.port, self.load = port, load
        self.conn, self.used = None, 0

    def exchange(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                self.used = 0
            reused = self.used > 0
            try:
                self.conn.request(method, path, body, headers or {})
                r = self.conn.getresponse()
                self.used += 1
                return r.status, r.read()
            except STALE as e:
                self.conn.close()
                self.conn = None
                if not reused or attempt == 2:
                    raise
                self.load.stale_retry(f"{method} {path[:40]}: {type(e).__name__}")
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                raise

    def close(self):
        if self.conn:
            self.conn.close()


class Load:
    """Client threads through HAProxy; every answer is checked."""

    def __init__(self, port, listing_id):
        self.port, self.listing_id = port, listing_id
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.ok = {"a": 0, "b": 0}
        self.failures = []
        self.reports = {}  # note -> report_id, once answered 201
        self.stale_retries = []
        self.threads = []

    def stale_retry(self, what):
        with self.lock:
            log("sent again on a new connection (a kept-alive one closed):", what)
            self.stale_retries.append(what)

    def fail(self, what):
        with self.lock:
            if len(self.failures) < 20:
                log("FAILED:", what)
            self.failures.append(what)

    def check_search(self, status, body):
        if status != 200:
            return self.fail(f"search: HTTP {status} {body[:200]!r}")
        doc = json.loads(body)
        names = {r["name"] for r in doc["results"] if r["id"] == self.listing_id}
        if doc["total"] == 2 and names == {NAME_A}:
            edition = "a"
        elif doc["total"] == 3 and names == {NAME_B}:
            edition = "b"
        else:
            return self.fail(f"search: a mixed or wrong answer: total {doc['total']}, {names}")
        with self.lock:
            self.ok[edition] += 1

    def searcher(self):
        client = Client(self.port, self)
        while not self.stop.is_set():
            try:
                self.check_search(*client.exchange("GET", SEARCH))
            except (OSError, http.client.HTTPException) as e:
                self.fail(f"search: {type(e).__name__}: {e}")
        client.close()

    def reporter(self, seconds):
        """REPORTS problem reports spread over `seconds`, each with its own note."""
        client = Client(self.port, self)
        for i in range(REPORTS):
            note = f"deploy test report {i:02d} {secrets.token_hex(4)}"
            body = json.dumps({"field": "other", "correction": "x", "note": note,
                               "report_id": secrets.token_hex(16)})
            try:
                status, answer = client.exchange(
                    "POST", f"/api/v1/listings/{self.listing_id}/feedback", body,
                    {"Content-Type": "application/json"})
                if status == 201:
                    with self.lock:
                        self.reports[note] = json.loads(answer)["report_id"]
                else:
                    self.fail(f"report {i}: HTTP {status} {answer[:200]!r}")
            except (OSError, http.client.HTTPException) as e:
                self.fail(f"report {i}: {type(e).__name__}: {e}")
            if self.stop.wait(seconds / REPORTS):
                break
        client.close()

    def start(self, report_seconds):
        self.threads = [threading.Thread(target=self.searcher, daemon=True)
                        for _ in range(CLIENT_THREADS)]
        self.threads.append(threading.Thread(target=self.reporter, args=(report_seconds,),
                                             daemon=True))
        for t in self.threads:
            t.start()

    def finish(self):
        self.threads[-1].join()  # the reporter ends on its own
        self.stop.set()
        for t in self.threads:
            t.join()


# ---- the test --------------------------------------------------------------

def listing_id_of(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", SEARCH)
    doc = json.loads(c.getresponse().read())
    c.close()
    return next(r["id"] for r in doc["results"] if r["name"] == NAME_A)


def publish(binary, replica, db_b):
    """deploy/publish.sh's step for one replica: copy beside it, switch, wait."""
    incoming = replica.db + ".incoming"
    shutil.copyfile(db_b, incoming)
    r = run([binary, "publish", "--db", replica.db, incoming])
    if r.returncode != 0:
        sys.exit(f"publish to {replica.name} failed ({r.returncode}): {r.stderr}{r.stdout}")
    m = re.search(r"sha256 ([0-9a-f]{64})", r.stdout)
    if not m:
        sys.exit(f"publish printed no sha256: {r.stdout!r}")
    sha = m.group(1)
    wait_for(f"{replica.name}'s /healthz to name {sha[:12]}",
             lambda: replica.health()[1].get("database", {}).get("sha256") == sha, SWITCH_SECONDS)
    log(f"{replica.name} serves B (sha256 {sha[:12]}...)")
    return sha


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--haproxy", default=shutil.which("haproxy") or "/usr/sbin/haproxy")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if not os.access(args.haproxy, os.X_OK):
        print("SKIPPED: haproxy is not installed (apt-get install haproxy; `make test` does)")
        return SKIP

    work = tempfile.mkdtemp(prefix="carefinder-replicas-")
    replicas, haproxy, load = [], None, None
    try:
        editions = build_editions(args.binary, args.source, work)
        replicas = [Replica(args.binary, work, f"r{i}", editions["a"]) for i in (1, 2, 3)]
        for r in replicas:
            r.start()
        front = free_port()
        cfg, sock = haproxy_config(os.path.join(args.source, "deploy/haproxy.cfg"), work, front,
                                   replicas)
        check = run([args.haproxy, "-c", "-f", cfg])
        if check.returncode != 0:
            sys.exit(f"haproxy -c refused the configuration:\n{check.stdout}{check.stderr}")
        haproxy = subprocess.Popen([args.haproxy, "-db", "-f", cfg],
                                   stdout=subprocess.DEVNULL,
                                   stderr=open(os.path.join(work, "haproxy.log"), "w"))
        wait_for("HAProxy to see three replicas up",
                 lambda: list(servers_up(sock).values()) == [True] * 3, STARTUP_SECONDS)
        listing_id = listing_id_of(front)
        log(f"HAProxy on {front}, replicas on", [r.port for r in replicas])

        load = Load(front, listing_id)
        load.start(report_seconds=14)
        time.sleep(2)

        victim = replicas[1]
        log(f"SIGKILL {victim.name}")
        victim.kill()
        wait_for(f"HAProxy to take {victim.name} out",
                 lambda: not servers_up(sock)[victim.name], STARTUP_SECONDS)
        time.sleep(1)
        victim.start()
        wait_for(f"{victim.name} back in", lambda: servers_up(sock)[victim.name], STARTUP_SECONDS)
        log(f"{victim.name} restarted and back in rotation")

        shas = {publish(args.binary, r, editions["b"]) for r in replicas}
        time.sleep(1)
        before_final = dict(load.ok)
        time.sleep(2)  # every answer from now on must be B
        load.finish()
        log("answers:", load.ok, "failures:", len(load.failures),
            "reports answered 201:", len(load.reports),
            "sent again on a new connection:", len(load.stale_retries))

        problems = []
        if load.failures:
            problems.append(f"{len(load.failures)} failed or wrong requests, first: {load.failures[0]}")
        if len(load.stale_retries) > STALE_RETRIES_ALLOWED:
            problems.append(f"{len(load.stale_retries)} requests met a closed kept-alive "
                            f"connection (more than {STALE_RETRIES_ALLOWED})")
        if load.ok["a"] == 0 or load.ok["b"] == 0:
            problems.append(f"the load did not see both editions: {load.ok}")
        if load.ok["a"] != before_final["a"]:
            problems.append("an answer from A after every replica reported B")
        if len(shas) != 1:
            problems.append(f"the replicas name different sha256s: {shas}")
        for r in replicas:
            status, health = r.health()
            if status != 200 or health.get("database", {}).get("sha256") not in shas:
                problems.append(f"{r.name} does not end on B: {status} {health}")
        for name, up in servers_up(sock).items():
            if not up:
                problems.append(f"HAProxy has {name} down at the end")

        # Problem reports: every replica's file, gathered twice into one.
        for r in replicas:
            r.stop()
        gathered = os.path.join(work, "gathered.feedback.db")
        files = [r.feedback for r in replicas]
        for attempt in (1, 2):
            g = run([args.binary, "feedback", "--feedback", gathered, "--gather", *files])
            if g.returncode != 0:
                problems.append(f"gather #{attempt} failed ({g.returncode}): {g.stderr}")
            log(f"gather #{attempt}:", " / ".join(g.stdout.strip().splitlines()))
        listed = run([args.binary, "feedback", "--feedback", gathered, "--json"])
        stored = json.loads(listed.stdout or "[]")
        notes = [s["note"] for s in stored if s["note"].startswith("deploy test report")]
        if len(load.reports) != REPORTS:
            problems.append(f"{REPORTS - len(load.reports)} reports were not answered 201")
        for note, report_id in load.reports.items():
            if notes.count(note) != 1:
                problems.append(f"report {note!r} is present {notes.count(note)} times")
        if len(notes) != len(load.reports):
            problems.append(f"{len(notes)} reports gathered for {len(load.reports)} sent")
        per_file = [len(json.loads(run([args.binary, "feedback", "--feedback", f, "--json"]).stdout))
                    for f in files]
        log("reports per replica file:", per_file, "gathered:", len(notes))

        for p in problems:
            log("PROBLEM:", p)
        if not problems:
            log("PASSED")
        return 1 if problems else 0
    finally:
        if load:
            load.stop.set()
        for r in replicas:
            r.stop()
        if haproxy:
            haproxy.terminate()
            haproxy.wait(timeout=10)
        if args.keep:
            log("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
