#!/usr/bin/env bash
# Real-browser tests and the API fuzzing against a running server: installs headless Chromium, chromedriver and
# fonts (Debian), selenium, pytest and schemathesis (PyPI); starts `khuyencong serve` on a fresh SQLite database
# with the demo data; runs e2e/ with pytest, then schemathesis against /api/openapi.json (the contract,
# Sources/KhuyenCongApp/Resources/openapi.yaml) with one token per role.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/khuyencong

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-core >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi
# The report document: LibreOffice Writer converts the DOCX to PDF; poppler-utils renders and reads the PDF pages.
if ! dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils >/dev/null
fi
python3 -c "import selenium, pytest, schemathesis, openpyxl, docx" 2>/dev/null || pip install -q selenium pytest schemathesis openpyxl python-docx

work=$(mktemp -d)
# A free port, so that two runs on one machine never talk to each other's server.
port=${E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}
export DATABASE_PATH="$work/e2e.sqlite"
"$bin" seed --demo >/dev/null
# A province officer of the unit that owns a draft project, and a ministry officer for the API.
draft=$(sqlite3 "$DATABASE_PATH" "SELECT code || ' ' || substr(unit_id, 1, 2) FROM projects WHERE status = 'draft' ORDER BY code LIMIT 1")
read -r draft_code draft_unit <<<"$draft"
officer_password="e2e-$(head -c 12 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
echo "$officer_password" | "$bin" user create --username e2e.officer --role province_officer --unit "$draft_unit" --password-stdin >/dev/null
echo "$officer_password" | "$bin" user create --username e2e.ministry --role ministry_officer --password-stdin >/dev/null
# The main road: Thanh Hóa's officer, a northern appraiser employed in Hà Nội, the northern reviewer; the category of
# Thanh Hóa's 2026 national plan line, which the demo data leaves room in.
road_category=$(sqlite3 "$DATABASE_PATH" "SELECT category_code FROM plan_lines WHERE unit_id = '38@2025-07-01' AND year = 2026 AND source = 'national' LIMIT 1")
echo "$officer_password" | "$bin" user create --username e2e.thanhhoa --role province_officer --unit 38 --password-stdin >/dev/null
echo "$officer_password" | "$bin" user create --username e2e.appraiser --role appraiser --unit 01 --region north --password-stdin >/dev/null
echo "$officer_password" | "$bin" user create --username e2e.reviewer --role region_reviewer --region north --password-stdin >/dev/null
# The plan cycle: Quảng Ninh (22), which the demo data gives no 2027 plan.
echo "$officer_password" | "$bin" user create --username e2e.quangninh --role province_officer --unit 22 --password-stdin >/dev/null
# The administration pages: a second administrator beside the demo's, and Ninh Bình's officer (37), whose local caps it sets.
echo "$officer_password" | "$bin" user create --username e2e.admin --role admin --password-stdin >/dev/null
echo "$officer_password" | "$bin" user create --username e2e.ninhbinh --role province_officer --unit 37 --password-stdin >/dev/null
# The account whose password schemathesis sends to createToken (scripts/schemathesis.toml), so that the fuzzing's wrong
# passwords never count against an account that the runs sign in with.
echo "$officer_password" | "$bin" user create --username e2e.token --role viewer --password-stdin >/dev/null
mkdir -p e2e/screenshots

PORT=$port "$bin" serve >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.2; done
kill -0 $server 2>/dev/null || { echo "the server did not start:"; cat "$work/serve.log"; exit 1; }

token=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"e2e.ministry\",\"password\":\"$officer_password\"}" "http://127.0.0.1:$port/api/v1/auth/token" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

echo "== Browser (headless Chromium), exports (openpyxl, LibreOffice) =="
# E2E_ONLY=schemathesis skips the browser tests (a quicker run of the API fuzzing alone, for local work).
[ "${E2E_ONLY:-}" = schemathesis ] || E2E_BASE_URL="http://127.0.0.1:$port" E2E_OFFICER=e2e.officer E2E_PASSWORD="$officer_password" E2E_DRAFT_CODE="$draft_code" \
  E2E_ROAD_OFFICER=e2e.thanhhoa E2E_ROAD_UNIT=38 E2E_ROAD_CATEGORY="$road_category" E2E_APPRAISER=e2e.appraiser \
  E2E_REVIEWER=e2e.reviewer E2E_PLAN_OFFICER=e2e.quangninh E2E_PLAN_UNIT=22 E2E_MINISTRY=e2e.ministry E2E_ADMIN=e2e.admin E2E_RULE_OFFICER=e2e.ninhbinh E2E_SCREENSHOTS="$PWD/e2e/screenshots" E2E_TOKEN="$token" E2E_BIN="$PWD/$bin" python3 -m pytest -q e2e

echo "== API fuzzing (schemathesis), one run per role =="
# Each operation is fuzzed with the token of a role that may use it: the administrator's, the appraiser's and the
# province officer's operations in their own runs, everything else (reads too) by the ministry. A fuzzed write must
# get a 4xx, never a 500; scripts/schemathesis.toml fails a run in which an operation only ever answers 401/403,
# and scripts/schemathesis_coverage.py one in which it only answers 401/403/404 (its examples name nothing the role
# may see), so a new operation has to be added to the right list here and given examples from the demo data.
admin_ops='changeUser|createUser|disableUser|enableUser|issuePasswordResetLink|unlockUser|changeSettings|changeSettingsPost'
appraiser_ops='appraiseProject'
officer_ops='updateProject|addBeneficiary|updateBeneficiary|removeBeneficiary|recordDisbursement|updateDisbursement|removeDisbursement'
officer_ops+='|recordOutput|updateOutput|removeOutput|attachFile|submitPeriodReport|savePlanLine|savePlanTarget|submitPlan_national'
officer_ops+='|submitPlan_local|returnPlan_local|approvePlan_local|saveProvinceProgramme|createProject'
api_token() {
  curl -fs -X POST -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$officer_password\"}" \
    "http://127.0.0.1:$port/api/v1/auth/token" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
# openapi.yaml's examples name demo data (Thanh Hóa, 38). Rows with random ids are made here through the API by
# Thanh Hóa's officer, and scripts/schemathesis.toml reads their ids from these variables: a file to download, a
# disbursement and an output to correct and one of each to remove (on a project under way), a draft with two
# beneficiaries (one to correct, one to remove), with tax codes no browser test uses (an establishment's name is
# fixed by its first project: test_corrections.py leaves 2807654325 as another establishment's).
officer_token=$(api_token e2e.thanhhoa)
as_officer() {   # as_officer <method> <path under /api/v1> [<body>]: the answer; an error status stops the run, saying why
  local answer status
  answer=$(curl -sS -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $officer_token" -H 'Content-Type: application/json' \
    ${3:+--data-binary "$3"} "http://127.0.0.1:$port/api/v1$2")
  status=${answer##*$'\n'}
  if [ "$status" -ge 400 ]; then echo "schemathesis setup: $1 $2 answered $status: ${answer%$'\n'*}" >&2; exit 1; fi
  printf '%s' "${answer%$'\n'*}"
}
pick() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
today=$(date -u +%F)
E2E_ROWS_PROJECT=$(sqlite3 "$DATABASE_PATH" "SELECT code FROM projects WHERE unit_id LIKE '38@%' AND status = 'in_progress' ORDER BY code LIMIT 1")
rows="/projects/$E2E_ROWS_PROJECT"
E2E_ATTACHMENT_ID=$(as_officer POST "$rows/attachments?filename=schemathesis.txt" 'tệp thử' | pick 'd["id"]')
for n in 1 2; do as_officer POST "$rows/disbursements" "{\"date\":\"$today\",\"amountVnd\":100$n,\"kind\":\"payment\"}" >/dev/null; done
for n in 1 2; do as_officer POST "$rows/outputs" "{\"date\":\"$today\",\"indicator\":\"establishments_supported\",\"quantity\":$n}" >/dev/null; done
as_officer GET "$rows" >"$work/rows.json"
row() { pick "[x['id'] for x in d['$1'] if x['date'] == '$today' and x['$2'] == $3][0]" <"$work/rows.json"; }
E2E_DISBURSEMENT_ID=$(row disbursements amountVnd 1001)
E2E_REMOVED_DISBURSEMENT_ID=$(row disbursements amountVnd 1002)
E2E_OUTPUT_ID=$(row outputs quantity 1)
E2E_REMOVED_OUTPUT_ID=$(row outputs quantity 2)
E2E_DRAFT_PROJECT=$(as_officer POST /projects '{"title":"Đề án thử của schemathesis","unitCode":"38","year":2027,"source":"local",
  "category":"1","implementingUnit":"Hợp tác xã chè Xuân Du","supportVnd":300000000}' | pick 'd["code"]')
as_officer POST "/projects/$E2E_DRAFT_PROJECT/beneficiaries" '{"taxCode":"2809191915","name":"Hợp tác xã chè Xuân Du","supportVnd":200000000}' >/dev/null
as_officer POST "/projects/$E2E_DRAFT_PROJECT/beneficiaries" '{"taxCode":"2809292920","name":"Công ty chè Thanh Xuân","supportVnd":50000000}' \
  >"$work/draft.json"
E2E_BENEFICIARY_ID=$(pick '[x["id"] for x in d["beneficiaries"] if x["taxCode"] == "2809191915"][0]' <"$work/draft.json")
E2E_REMOVED_BENEFICIARY_ID=$(pick '[x["id"] for x in d["beneficiaries"] if x["taxCode"] == "2809292920"][0]' <"$work/draft.json")
# The states that the other writes need, each on a row of its own, so that no two operations of a run (10 at once)
# take one another's: the writes below are refused (409) in any other state, and would then never answer 2xx.
# - a second draft of Thanh Hóa's for updateProject, at version 1 (its body's version in scripts/schemathesis.toml);
E2E_EDIT_PROJECT=$(as_officer POST /projects '{"title":"Đề án thử sửa của schemathesis","unitCode":"38","year":2027,"source":"local",
  "category":"1","implementingUnit":"Hợp tác xã chè Xuân Du","supportVnd":300000000}' | pick 'd["code"] if d["version"] == 1 else ""')
[ -n "$E2E_EDIT_PROJECT" ] || { echo "schemathesis setup: the new draft is not at version 1 (scripts/schemathesis.toml's updateProject)" >&2; exit 1; }
# - Thanh Hóa's 2026 reports of the first quarter and of the third submitted: the ministry approves the one and returns
#   the other (openapi.yaml's example is the half-year's, which the ministry unlocks and the officer submits again);
#   the browser tests before this leave Thanh Hóa warnings (test_lifecycle.py's E2E-ROAD-001: money without output), and a
#   report goes in only with each warning explained: the officer explains them on the quality page, as a person would;
E2E_BASE="http://127.0.0.1:$port" E2E_USER=e2e.thanhhoa E2E_PASSWORD="$officer_password" python3 - <<'PY'
import html, os, re, requests
base, session = os.environ["E2E_BASE"], requests.Session()
csrf = lambda page: re.search(r'name="csrf" value="([^"]+)"', page).group(1)
answer = session.post(f"{base}/login", data={"csrf": csrf(session.get(f"{base}/login").text), "username": os.environ["E2E_USER"],
                                           "password": os.environ["E2E_PASSWORD"]}, allow_redirects=False)
assert answer.status_code == 303, f"schemathesis setup: sign-in answered {answer.status_code}"
for period in ("Q1", "Q3"):
    page = session.get(f"{base}/quality", params={"unit": "38", "year": "2026", "period": period}).text
    for form in re.findall(r'<form method="post" action="([^"]+)" class="stack comment-form">(.*?)</form>', page, re.S):
        fields = {k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[1])}
        if not re.search(r'<textarea name="comment"[^>]*>\s*</textarea>', form[1]): continue   # explained already
        fields["comment"] = "Đã kiểm tra: số liệu đúng (giải trình của bước chuẩn bị schemathesis)."
        answer = session.post(base + html.unescape(form[0]), data=fields, allow_redirects=False)
        assert answer.status_code in (200, 303), f"schemathesis setup: the comment on {fields.get('rule')} answered {answer.status_code}"
        print(f"schemathesis setup: explained Thanh Hóa's {period} warning {fields.get('rule')} ({fields.get('subject')})")
PY
as_officer POST /period-reports/38/2026/Q1/submit '{}' >/dev/null
as_officer POST /period-reports/38/2026/Q3/submit '{}' >/dev/null
# - Thanh Hóa's plans beyond the demo's 2027 (openapi.yaml's example, which the officer submits and approves and the
#   ministry approves): 2028's national plan a draft with a line (the officer submits it) and its local plan submitted
#   (the officer returns it); 2029's national plan submitted (the ministry returns it) and its local plan empty (the
#   officer types targets in it);
for plan in 2028/lines:national 2028/lines:local 2029/lines:national; do
  as_officer POST "/plans/38/${plan%%:*}" "{\"source\":\"${plan##*:}\",\"category\":\"1\",\"amountVnd\":1000000000}" >/dev/null
done
as_officer POST /plans/38/2028/local/submit '{}' >/dev/null
as_officer POST /plans/38/2029/national/submit '{}' >/dev/null
# - a settled national project, which the ministry closes (the one step of the ministry's that needs no decision file).
E2E_CLOSING_PROJECT=$(sqlite3 "$DATABASE_PATH" "SELECT code FROM projects WHERE status = 'settled' AND source = 'national' ORDER BY code LIMIT 1")
E2E_TOKEN_PASSWORD=$officer_password
export E2E_ROWS_PROJECT E2E_ATTACHMENT_ID E2E_DISBURSEMENT_ID E2E_REMOVED_DISBURSEMENT_ID E2E_OUTPUT_ID E2E_REMOVED_OUTPUT_ID \
  E2E_DRAFT_PROJECT E2E_BENEFICIARY_ID E2E_REMOVED_BENEFICIARY_ID E2E_EDIT_PROJECT E2E_CLOSING_PROJECT E2E_TOKEN_PASSWORD
mkdir -p "$work/schemathesis"
fuzz() {   # fuzz <user> <operation filter>...
  local user=$1 started=$SECONDS
  shift
  echo "-- as $user"
  schemathesis --config-file scripts/schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" \
    -H "Authorization: Bearer $(api_token "$user")" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance -n 10 \
    --report ndjson --report-ndjson-path "$work/schemathesis/$user.ndjson" "$@"
  echo "-- as $user: $((SECONDS - started)) s"
}
fuzz e2e.ministry --exclude-operation-id-regex "^(revokeToken|$admin_ops|$appraiser_ops|$officer_ops)$"
fuzz e2e.admin --include-operation-id-regex "^($admin_ops)$"
fuzz e2e.appraiser --include-operation-id-regex "^($appraiser_ops)$"
fuzz e2e.thanhhoa --include-operation-id-regex "^($officer_ops)$"
echo "== Operations reached per role (schemathesis) =="
python3 scripts/schemathesis_coverage.py "$work"/schemathesis/*.ndjson
