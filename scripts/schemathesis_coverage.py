#!/usr/bin/env python3
"""What schemathesis reached, per role: reads the NDJSON event files of scripts/e2e.sh's runs (one per role, named
<user>.ndjson), prints for each run how many operations answered a 2xx at least once, and lists the operations that
answered something else only. Fails (exit 1) when an operation of a run never answered a 2xx:
- it answered nothing but 401, 403 or 404: the role meant to use it never got past access or scope, so its examples
  name nothing the role may see (give the parameters in openapi.yaml examples from the demo data, or move the
  operation to the right role's list in e2e.sh);
- it answered only refusals of its input or state (400, 409, 422, ...): no request was one the API takes, so the
  fuzzing never reached what the operation does (give it a valid body in openapi.yaml's examples, and a row in the
  state it needs, made by e2e.sh's setup and named in scripts/schemathesis.toml).

usage: schemathesis_coverage.py <report.ndjson>...
"""
import base64
import collections
import json
import os
import sys


def statuses(path):
    """operation label ("POST /api/v1/...") -> Counter of the statuses answered"""
    seen = collections.defaultdict(collections.Counter)
    with open(path, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished.get("recorder") or {}
            label = recorder.get("label", "?")
            if label.split(" ")[0] not in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                continue  # the stateful phase's chains are reported under their own label; their calls count nowhere else
            seen[label]  # an operation whose every request failed to send still shows up
            for interaction in (recorder.get("interactions") or {}).values():
                response = interaction.get("response")
                if response:
                    seen[label][response["status_code"]] += 1
    return seen


def main(paths):
    blind, stuck = [], []
    for path in paths:
        role = os.path.basename(path).removesuffix(".ndjson")
        seen = statuses(path)
        succeeded = sorted(label for label, counts in seen.items() if any(200 <= code < 300 for code in counts))
        others = sorted(label for label in seen if label not in succeeded)
        print(f"{role}: {len(succeeded)} of {len(seen)} operations answered 2xx")
        for label in others:
            counts = seen[label]
            shown = ", ".join(f"{code}×{n}" for code, n in sorted(counts.items())) or "no answer"
            only_refused = not counts or set(counts) <= {401, 403, 404}
            print(f"  {'REFUSED ONLY' if only_refused else 'no 2xx'}: {label}: {shown}")
            (blind if only_refused else stuck).append(f"{role}: {label}")
    if blind:
        print("operations that the role meant to use them never reached (only 401/403/404):")
        for line in blind:
            print("  " + line)
    if stuck:
        print("operations that never answered 2xx (no valid body, or no row in the state they need):")
        for line in stuck:
            print("  " + line)
    return 1 if blind or stuck else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
