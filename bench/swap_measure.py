#!/usr/bin/env python3
"""Publishing a new database under a running server (docs/OPERATIONS.md).

Serves SERVED, publishes NEW over it with `carefinder publish` while CLIENTS
threads search, and prints how long publish took, when /healthz named NEW's
import run, the server's RSS before / at its peak (both files open) / after,
and the requests' outcome. NEW must hold one more import run than SERVED:

  cp build/carefinder.db /tmp/s.db && cp /tmp/s.db /tmp/n.db
  build/carefinder import --db /tmp/n.db some.csv
  bench/swap_measure.py build/carefinder /tmp/s.db /tmp/n.db 4
"""
import http.client, json, re, subprocess, sys, threading, time

binary, served, new = sys.argv[1:4]
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 0
SEARCH = "/api/v1/search?near=92374&care=detox"

srv = subprocess.Popen([binary, "serve", "--db", served, "--port", "0", "--feedback", "off"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
port = int(srv.stdout.readline().decode().strip().rsplit(":", 1)[1])


def rss_mb():
    status = open(f"/proc/{srv.pid}/status").read()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024


# One kept-alive connection for the polls: a new connection every 20 ms
# waits in the accept line for a moment, and the server then closes idle
# keep-alive connections (docs/OPERATIONS.md, "idle while others wait"): a
# client thread descheduled for 0.2 s on a loaded machine lost its request.
poll = http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def get(path):
    global poll
    try:
        poll.request("GET", path)
        r = poll.getresponse()
    except http.client.RemoteDisconnected:  # idle past the keep-alive timeout
        poll = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        poll.request("GET", path)
        r = poll.getresponse()
    return r.status, r.read()


def database():
    return json.loads(get("/healthz")[1])["database"]


stop = False
counts = {"ok": 0, "failed": 0, "slowest_s": 0.0}
failures = []


def hammer():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    on_connection = 0  # the server closes a connection after 10,000 requests
    while not stop:
        t = time.time()
        on_connection += 1
        try:
            c.request("GET", SEARCH)
            r = c.getresponse()
            r.read()
            body = r.read()
            counts["ok" if r.status == 200 else "failed"] += 1
            if r.status != 200:
                failures.append((time.time(), r.status, body[:200]))
        except Exception as e:
            counts["failed"] += 1
            failures.append((time.time(), repr(e), "request %d on its connection" % on_connection))
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            on_connection = 0
        counts["slowest_s"] = max(counts["slowest_s"], time.time() - t)


def main():
    global stop
    get(SEARCH)
    threads = [threading.Thread(target=hammer) for _ in range(clients)]
    for t in threads:
        t.start()
    time.sleep(2)
    before = database()
    want = before["import_run"] + 1
    print("rss before", rss_mb(), "MB; serving", before)
    t0 = time.time()
    publish = subprocess.Popen([binary, "publish", "--db", served, new], stdout=subprocess.PIPE)
    peak, published_s, switched_s = 0, None, None
    while published_s is None or switched_s is None:
        peak = max(peak, rss_mb())
        if published_s is None and publish.poll() is not None:
            published_s = time.time() - t0
        if switched_s is None and database()["import_run"] == want:
            switched_s = time.time() - t0
        time.sleep(0.02)
    print("publish exit", publish.returncode, publish.stdout.read().decode().strip(),
          "in %.2f s" % published_s)
    print("/healthz names the new import run %.2f s after publish started" % switched_s)
    for _ in range(50):  # the old file closes when its last request ends
        peak = max(peak, rss_mb())
        time.sleep(0.1)
    print("rss peak", peak, "MB, after", rss_mb(), "MB; serving", database())
    stop = True
    for t in threads:
        t.join()
    if clients:
        print("requests:", counts)
        for f in failures:
            print("failed: %.2f s after publish started:" % (f[0] - t0), *f[1:])


try:
    main()
finally:
    stop = True
    srv.terminate()
    srv.wait()
