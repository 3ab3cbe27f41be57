#!/usr/bin/env bash
# Two `khuyencong serve` instances on two ports against one PostgreSQL, behind nginx (Debian's package):
# a sign-in through one instance is recognised by the other, and writes through both (and through nginx)
# are all there afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/.build/debug/khuyencong
command -v nginx >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; }

url=$(bash scripts/postgres.sh khuyencong_instances)
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
a=$(free_port); b=$(free_port); proxy=$(free_port)
export DATABASE_URL="$url"
"$bin" seed --demo >/dev/null   # before the instances start, so that they find a prepared database
password="instances-$(head -c 9 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
echo "$password" | "$bin" user create --username inst.thanhhoa --role province_officer --unit 38 --password-stdin >/dev/null

export TRUSTED_PROXIES=127.0.0.1   # nginx: sign-in throttling counts the client's address it forwards
PORT=$a "$bin" serve >"$work/a.log" 2>&1 & pa=$!
PORT=$b "$bin" serve >"$work/b.log" 2>&1 & pb=$!
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
error_log $work/nginx-error.log;
pid $work/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  upstream khuyencong { server 127.0.0.1:$a; server 127.0.0.1:$b; }
  server {
    listen 127.0.0.1:$proxy;
    location / { proxy_pass http://khuyencong; proxy_set_header Host \$host; proxy_set_header X-Forwarded-Proto \$scheme; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; }
  }
}
NGINX
nginx -c "$work/nginx.conf"
trap 'nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true; kill $pa $pb 2>/dev/null || true; rm -rf "$work"' EXIT
for port in $a $b $proxy; do
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.2; done
done

paying=$(psql -X -tA "$url" -c "SELECT code FROM projects WHERE unit_id = '38@2025-07-01' AND year = 2026 AND status = 'in_progress' ORDER BY code LIMIT 1")

echo "== Two instances behind nginx =="
python3 - "$a" "$b" "$proxy" "$password" "$paying" "$url" "$bin" <<'PY'
import re, subprocess, sys, requests
a, b, proxy, password, paying, url, bin = sys.argv[1:]
A, B, P = (f"http://127.0.0.1:{port}" for port in (a, b, proxy))
passed = failed = 0
def check(name, condition):
    global passed, failed
    print(("ok   " if condition else "FAIL ") + name)
    passed, failed = passed + bool(condition), failed + (not condition)

session = requests.Session()
page = session.get(f"{A}/login").text
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
response = session.post(f"{A}/login", data={"csrf": csrf, "username": "inst.thanhhoa", "password": password}, allow_redirects=False)
check("sign in through instance A", response.status_code == 303)
cookie = session.cookies.get("kc_session")
other = requests.get(f"{B}/account/password", cookies={"kc_session": cookie}, allow_redirects=False)
check("instance B recognises the session made on A", other.status_code == 200 and "inst.thanhhoa" in other.text)

token = requests.post(f"{A}/api/v1/auth/token", json={"username": "inst.thanhhoa", "password": password}).json()["token"]
headers = {"Authorization": f"Bearer {token}"}
codes = []
for index, base in enumerate([A, B, P, A, B, P]):
    code = f"KC-INST-{index}"
    created = requests.post(f"{base}/api/v1/projects", headers=headers, json={
        "code": code, "title": f"Đề án qua phiên bản {index}", "unitCode": "38", "year": 2027, "source": "local",
        "category": "3", "implementingUnit": "Trung tâm Khuyến công Thanh Hóa", "supportVnd": 10_000_000})
    check(f"create {code} through {base}", created.status_code == 201)
    codes.append(code)
for code in codes:
    for base in (A, B):
        check(f"{code} is there through {base}", requests.get(f"{base}/api/v1/projects/{code}", headers=headers).status_code == 200)

# Each instance caches reports; a write through one must show at once in the other's report.
report = "/api/v1/reports/summary?unit=38&year=2026&period=FY"
before = requests.get(f"{B}{report}", headers=headers).json()["realised"]["amountVnd"]
paid = requests.post(f"{A}/api/v1/projects/{paying}/disbursements", headers=headers,
                     json={"date": "2026-11-20", "amountVnd": 1000, "kind": "payment"})
check(f"a payment on {paying} through A", paid.status_code in (200, 201))
for base in (B, A, P):
    after = requests.get(f"{base}{report}", headers=headers).json()["realised"]["amountVnd"]
    check(f"the report through {base} shows it at once ({before} + 1000 = {after})", after == before + 1000)

# Parallel payments through both instances: each instance queues its own writers, the database lock orders the two.
from concurrent.futures import ThreadPoolExecutor
project = requests.get(f"{A}/api/v1/projects/{paying}", headers=headers).json()
approved = project["supportApprovedVnd"]
def paid_so_far():
    return int(subprocess.run(["psql", "-X", "-tA", url, "-c", f"SELECT COALESCE(SUM(d.amount_vnd), 0) FROM disbursements d JOIN projects p ON p.id = d.project_id WHERE p.code = '{paying}' AND d.basis = 'actual'"], capture_output=True, text=True, check=True).stdout.strip())
remaining = approved - paid_so_far()
amount = remaining // 2 + 1   # one fits, two do not
def pay(index):
    base = (A, B)[index % 2]
    return requests.post(f"{base}/api/v1/projects/{paying}/disbursements", headers=headers,
                         json={"date": "2026-11-21", "amountVnd": amount, "kind": "payment"}).status_code
with ThreadPoolExecutor(max_workers=8) as pool:
    statuses = list(pool.map(pay, range(8)))
check(f"8 parallel payments of {amount} through A and B with {remaining} left: one accepted ({statuses})",
      statuses.count(201) == 1 and statuses.count(422) == 7)
check(f"paid stays within the approval ({paid_so_far()} <= {approved})", paid_so_far() <= approved)
# Each instance keeps who a token and a session stand for (AccountsCache); disabling the user from a third process
# (the command line) must refuse the very next request through either instance, and through nginx.
for base in (A, B, P):
    check(f"the token works through {base} (and is now cached there)", requests.get(f"{base}/api/v1/me", headers=headers).status_code == 200)
check("the session works through B (and is now cached there)",
      "inst.thanhhoa" in requests.get(f"{B}/account/password", cookies={"kc_session": cookie}, allow_redirects=False).text)
subprocess.run([bin, "user", "disable", "--username", "inst.thanhhoa"], check=True, capture_output=True)
for base in (A, B, P):
    check(f"the disabled user's next request through {base} is refused",
          requests.get(f"{base}/api/v1/me", headers=headers).status_code == 401)
check("the disabled user's session is not recognised by B",
      "inst.thanhhoa" not in requests.get(f"{B}/account/password", cookies={"kc_session": cookie}, allow_redirects=False).text)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
