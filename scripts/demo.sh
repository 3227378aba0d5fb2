#!/usr/bin/env bash
# npm start: a live demo. Installs what is missing (npm ci, n8n via scripts/n8n/install.sh,
# ~7 minutes the first time), builds and packs the package, starts the Graph simulator with a
# changing demo mailbox, starts n8n with Office 365 Trigger → Office 365 Event Forward published,
# and prints every event delivered to a local receiver. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules ]]; then
  echo "Installing dependencies (npm ci) …"
  npm ci
fi

echo "Checking n8n (first run installs it into ~/.cache, ~7 minutes) …"
bash scripts/n8n/install.sh >/dev/null

# exec: Ctrl-C reaches the orchestrator directly, which stops n8n and the simulator.
exec node --import tsx scripts/n8n/demo.ts
