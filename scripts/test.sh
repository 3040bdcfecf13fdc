#!/usr/bin/env bash
# Installs everything, then runs the whole suite: type check, lint (with the
# layering rule), unit tests and the integration tests on the virtual courtroom.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npm run typecheck
npm run lint
npx vitest run
