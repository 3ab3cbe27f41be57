#!/usr/bin/env python3
"""Kill -9 test: parallel writers record outputs through the API while the server is killed at random moments,
several rounds; afterwards every write that was answered 2xx must be in the database, and the database must pass
`PRAGMA integrity_check`. Standard library only. Run by scripts/killtest.sh, which builds and prepares."""
import argparse, datetime, http.client, json, os, random, signal, socket, sqlite3, subprocess, sys, threading, time

DELIVERING = ("contracted", "in_progress", "accepted", "settled")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, env, log_path):
        self.binary, self.env, self.log_path, self.proc = binary, env, log_path, None

    def start(self, timeout=180):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"killtest: the server stopped on start (exit {self.proc.returncode}); see {self.log_path}")
            try:
                # /health says ok once ready: on the first start, once the demo data set is committed.
                status, _ = request(self.env["PORT"], "GET", "/health", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"killtest: the server did not answer within {timeout}s; see {self.log_path}")

    def kill(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def request(port, method, path, body=None, token=None, timeout=10, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


class Writes:
    """Every write gets a quantity of its own, so that the rows can be matched to the answers."""
    def __init__(self, start):
        self.lock, self.next, self.acked, self.statuses, self.failed = threading.Lock(), start, [], {}, 0

    def take(self):
        with self.lock:
            self.next += 1
            return self.next

    def answered(self, quantity, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if 200 <= status < 300:
                self.acked.append(quantity)

    def unanswered(self):
        with self.lock:
            self.failed += 1


def output(quantity, date):
    return {"date": date, "indicator": "trainees", "quantity": quantity, "basis": "actual"}


def writer(port, token, codes, date, writes, stop):
    conn = None
    while not stop.is_set():
        quantity, code = writes.take(), random.choice(codes)
        try:
            conn = conn or http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
            status, _ = request(port, "POST", f"/api/v1/projects/{code}/outputs", output(quantity, date), token, conn=conn)
            writes.answered(quantity, status)
        except (OSError, http.client.HTTPException):
            writes.unanswered()          # no answer: the write may or may not be kept, and either is right
            if conn:
                conn.close()
            conn = None
            time.sleep(0.05)


def quantities(db_path, exclude_ids=()):
    db = sqlite3.connect(db_path, timeout=30)
    try:
        rows = db.execute("SELECT hex(id), quantity FROM outputs").fetchall()
    finally:
        db.close()
    return [(i, q) for i, q in rows if i not in exclude_ids]


def summary_mismatches(db_path, codes):
    """The year's (FY) summary of each project written to, against its raw output rows dated in its plan year."""
    db = sqlite3.connect(db_path, timeout=30)
    try:
        found = []
        for code in codes:
            raw = db.execute("""SELECT o.indicator_code, SUM(o.quantity), COUNT(*) FROM outputs o JOIN projects p ON p.id = o.project_id
                                WHERE p.code = ? AND o.basis = 'actual' AND substr(o.on_date, 1, 4) = CAST(p.year AS TEXT)
                                GROUP BY o.indicator_code""", (code,)).fetchall()
            kept = dict((m, (s, n)) for m, s, n in db.execute(
                """SELECT t.measure, t.actual_sum, t.actual_rows FROM project_period_totals t JOIN projects p ON p.id = t.project_id
                   WHERE p.code = ? AND t.period = 'FY' AND t.actual_rows > 0""", (code,)).fetchall())
            for measure, total, rows in raw:
                if kept.get(measure) != (total, rows):
                    found.append(f"{code} {measure}: rows {total}/{rows}, summary {kept.get(measure)}")
        return found
    finally:
        db.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    random.seed(seed)

    db_path = os.path.join(args.workdir, "killtest.sqlite")
    port = str(free_port())
    env = dict(os.environ, DATABASE_PATH=db_path, PORT=port, HOST="127.0.0.1", KHUYENCONG_ROOT=args.root, LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    password = "killtest-" + "".join(random.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(16))
    made = subprocess.run([args.binary, "user", "create", "--username", "killtest", "--name", "Kill test", "--role",
                           "province_officer", "--unit", "38", "--password-stdin"], env=env, input=password + "\n",
                          text=True, capture_output=True)
    if made.returncode != 0:
        sys.exit(f"killtest: could not create the user: {made.stdout}{made.stderr}")

    server = Server(args.binary, env, os.path.join(args.workdir, "server.log"))
    started = time.time()
    server.start()
    print(f"killtest: seed {seed}, port {port}, first start (demo data) took {time.time() - started:.1f}s", flush=True)
    status, body = request(port, "POST", "/api/v1/auth/token", {"username": "killtest", "password": password})
    if status != 201:
        sys.exit(f"killtest: no token ({status}): {body[:300]!r}")
    token = json.loads(body)["token"]

    baseline = {i for i, _ in quantities(db_path)}
    writes = Writes(start=700_000)
    # Yesterday in Vietnam: an actual output may not be dated in the future.
    date = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))) - datetime.timedelta(days=1)).date().isoformat()
    db = sqlite3.connect(db_path, timeout=30)
    candidates = [row[0] for row in db.execute(
        "SELECT code FROM projects WHERE status IN (%s) AND unit_id LIKE '38@%%' ORDER BY year DESC, code" % ",".join("?" * len(DELIVERING)),
        DELIVERING)]
    db.close()
    codes = []
    for code in candidates:
        quantity = writes.take()
        status, body = request(port, "POST", f"/api/v1/projects/{code}/outputs", output(quantity, date), token)
        writes.answered(quantity, status)
        if status == 201:
            codes.append(code)
        if len(codes) >= 8:
            break
    if not codes:
        sys.exit(f"killtest: no project of the officer's province accepts outputs (tried {len(candidates)})")
    print(f"killtest: writing to {len(codes)} projects: {', '.join(codes)}", flush=True)

    for round_number in range(1, args.rounds + 1):
        if round_number > 1:
            server.start()
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(port, token, codes, date, writes, stop)) for _ in range(args.writers)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(1.0, 4.0))
        server.kill()
        stop.set()
        for thread in threads:
            thread.join()
        print(f"killtest: round {round_number}: killed; {len(writes.acked)} writes acknowledged so far", flush=True)

    rows = quantities(db_path, baseline)
    present = {}
    for _, quantity in rows:
        present[quantity] = present.get(quantity, 0) + 1
    lost = [q for q in writes.acked if present.get(q, 0) < 1]
    integrity = subprocess.run(["sqlite3", db_path, "PRAGMA integrity_check;"], capture_output=True, text=True).stdout.strip()
    duplicates = [q for q, n in present.items() if n > 1]
    mismatches = summary_mismatches(db_path, codes)
    server.start()   # it must come up again after the last kill
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=30)

    print(f"killtest: {args.rounds} rounds, {len(writes.acked)} acknowledged writes, {len(rows)} new rows, "
          f"{writes.failed} requests without an answer, answers {dict(sorted(writes.statuses.items()))}")
    print(f"killtest: integrity_check: {integrity}; summary tables against raw rows: "
          f"{'equal' if not mismatches else '; '.join(mismatches[:5])}")
    problems = []
    if lost:
        problems.append(f"{len(lost)} acknowledged writes are missing (quantities {lost[:10]})")
    if duplicates:
        problems.append(f"{len(duplicates)} writes are stored twice")
    if mismatches:
        problems.append(f"{len(mismatches)} project summaries differ from their raw rows")
    if integrity != "ok":
        problems.append("integrity_check did not say ok")
    if any(status >= 500 for status in writes.statuses):
        problems.append("some writes answered 5xx")
    if problems:
        sys.exit("killtest: FAILED: " + "; ".join(problems) + f" (seed {seed}; log {server.log_path})")
    print("killtest: ok: every acknowledged write survived")


if __name__ == "__main__":
    main()
