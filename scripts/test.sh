#!/usr/bin/env bash
# Installs everything, then runs the whole suite: type check, lint (with the
# layering rule), unit tests and the integration tests on the virtual courtroom,
# then a short kill soak (5 random SIGKILLs; the full 100 is `npm run soak:kill`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npm run typecheck
npm run lint
npx vitest run
npm run soak:kill -- --kills 5
