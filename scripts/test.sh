#!/usr/bin/env bash
# Installs everything, then runs the whole suite: type check, lint (with the
# layering rule), unit tests and the integration tests on the virtual courtroom,
# then a short kill soak (5 random SIGKILLs; the full 100 is `npm run soak:kill`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npm run typecheck
npm run lint
before=$(pgrep -f '/abk-test-' | sort || true)
npx vitest run
# every test stops what it started: a process still running from a test's folder is a leak
sleep 2
left=$(comm -13 <(echo "$before") <(pgrep -f '/abk-test-' | sort || true) | grep . || true)
if [ -n "$left" ]; then
  echo "test.sh: the tests left these processes running:" >&2
  ps -o pid=,args= -p "$(echo "$left" | paste -sd,)" >&2 || true
  exit 1
fi
npm run soak:kill -- --kills 5
