#!/usr/bin/env bash
# `npm run bench`: the poll cycle of our trigger against n8n's Microsoft Outlook Trigger (bench/results.md),
# then the instant trigger's latency in a real n8n (bench/instant-results.md). Prints the figures; asserts
# nothing about time. Not part of `npm test`. BENCH_SUITES=poll or BENCH_SUITES=instant runs one of them.
#
#   BENCH_RUNS=5 BENCH_LATENCIES=0,50 BENCH_WORKLOADS=idle,new-1000,... npm run bench
#   BENCH_TRIGGERS=ours BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=bench/tmp/prof" ...   (profiling)
#
# Everything runs compiled (dist/ for the node, bench/tmp/ for the benchmark and the Graph simulator)
# on the Node.js of the pinned n8n install. The simulator gets one core, the polling process the other.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== pinned n8n (peer node, Node.js)" >&2
eval "$(bash scripts/n8n/install.sh | grep -E '^(N8N_HOME|N8N_NODE_BIN|N8N_VERSION)=')"
export N8N_HOME

echo "== build (dist/) and benchmark (bench/tmp/)" >&2
npm run build --silent >&2
rm -rf bench/tmp
npx tsc -p bench/tsconfig.json

export BENCH_REPO_ROOT="$PWD"
pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
	export BENCH_SIM_CPU="${BENCH_SIM_CPU:-1}"
	pin=(taskset -c 0)
fi

suites=",${BENCH_SUITES:-poll,instant},"
if [[ "$suites" == *",poll,"* ]]; then
	echo "== benchmark (n8n $N8N_VERSION, $("$N8N_NODE_BIN" --version))" >&2
	# shellcheck disable=SC2086 # BENCH_NODE_FLAGS is a list of flags
	"${pin[@]}" "$N8N_NODE_BIN" --expose-gc ${BENCH_NODE_FLAGS:-} bench/tmp/bench/run.js
fi
if [[ "$suites" == *",instant,"* ]]; then
	echo "== instant trigger latency in a real n8n $N8N_VERSION" >&2
	N8N_E2E_SKIP_BUILD=1 node --import tsx bench/instantLatency.ts
fi
