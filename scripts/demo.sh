#!/usr/bin/env bash
# Installs everything, then records a demo sitting on the virtual courtroom
# (8 microphones, each hearing its own speaker, and a test camera) and prints its folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
node dist/cli/main.js demo --seconds "${DEMO_SECONDS:-20}" --out "${DEMO_OUT:-recordings}" "$@"
