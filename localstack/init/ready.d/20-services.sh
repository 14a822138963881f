#!/bin/bash
# READY hook: report the state of every service in SERVICES and fail when
# one of them is not usable, so that a misspelt or unavailable service is
# caught at start-up rather than in the middle of `cdk deploy`.
set -euo pipefail

health="$(curl -fsS --max-time 10 http://localhost:4566/_localstack/health)"
SERVICES="${SERVICES:-}" python3 - "$health" <<'PY'
import json, os, sys

health = json.loads(sys.argv[1])
states = health.get("services", {})
wanted = [s.strip() for s in os.environ["SERVICES"].split(",") if s.strip()]
print("goshop: LocalStack %s %s" % (health.get("edition", "?"), health.get("version", "?")))
bad = []
for name in wanted:
    state = states.get(name, "unknown")
    print("goshop:   %-16s %s" % (name, state))
    if state not in ("available", "running"):
        bad.append("%s (%s)" % (name, state))
if bad:
    print("goshop: services not usable: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
