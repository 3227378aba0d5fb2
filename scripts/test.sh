#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs, then type-check, build, lint (with n8n's community
# package scan) and every test suite, printing each stage's duration and one closing count.
#   SKIP_E2E=1        skip every real-n8n suite (quick local loop); CI runs them all
#   SKIP_QUEUE=1      skip only the queue-mode suite
#   SKIP_N8N1=1       skip only the n8n 1.x suites
#   E2E_CONCURRENCY   real-n8n suites run at once (default 3: they mostly wait for n8n's minute polls)
set -uo pipefail
cd "$(dirname "$0")/.."

LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/o365-test-XXXXXX")"
declare -A install_pids=()
cleanup() {
	for pid in "${install_pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
	rm -rf "$LOG_DIR"
}
trap cleanup EXIT
stage_lines=()
status=0
passed=0 failed=0 skipped=0 todo=0

record() { stage_lines+=("$(printf '%-44s %6ss  %s' "$1" "$2" "$3")"); }

# Runs a stage; a failed setup stage ends the run (nothing after it could pass).
stage() {
	local name="$1" required="$2"
	shift 2
	local start=$SECONDS
	echo "== $name"
	if "$@"; then
		record "$name" $((SECONDS - start)) ok
	else
		record "$name" $((SECONDS - start)) FAILED
		status=1
		if [[ "$required" == required ]]; then summary; exit 1; fi
	fi
}

# Runs test files with node's test runner; adds its counts to the totals.
tests() {
	local name="$1" concurrency="$2"
	shift 2
	local log="$LOG_DIR/$(echo "$name" | tr -c 'a-zA-Z0-9' '_').log"
	node --import tsx --import ./test/support/n8nUserFolder.ts --test --test-concurrency="$concurrency" --test-reporter=spec --test-reporter-destination=stdout "$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	count() { sed -n "s/^ℹ $1 \([0-9]*\)$/\1/p" "$log" | tail -n 1; }
	local p f s t
	p=$(count pass) f=$(count fail) s=$(count skipped) t=$(count todo)
	passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${s:-0})) todo=$((todo + ${t:-0}))
	[[ -n "$p" ]] || { echo "no test summary from: $*"; return 1; }
	return "$rc"
}

summary() {
	echo
	echo "== stages"
	printf '%s\n' "${stage_lines[@]}"
	echo "total ${SECONDS} s; ${todo} todo"
	echo "${passed} passed, ${failed} failed, ${skipped} skipped"
}

install_deps() {
	if [ ! -d node_modules/n8n-core ] || [ ! -d node_modules/tsx ] || [ ! -d node_modules/@n8n/scan-community-package ]; then
		npm ci --no-audit --no-fund
	fi
}

# Background installs for the real-n8n suites, started early so they overlap the quick stages.
start_install() {
	local name="$1"
	shift
	("$@" >"$LOG_DIR/install-$name.log" 2>&1; echo $? >"$LOG_DIR/install-$name.rc"; echo $SECONDS >"$LOG_DIR/install-$name.end") &
	install_pids[$name]=$!
	echo $SECONDS >"$LOG_DIR/install-$name.start"
}
await_install() {
	local name="$1"
	wait "${install_pids[$name]}"
	cat "$LOG_DIR/install-$name.log" >&2
	local rc
	rc=$(cat "$LOG_DIR/install-$name.rc")
	record "install $name (in the background)" $(($(cat "$LOG_DIR/install-$name.end") - $(cat "$LOG_DIR/install-$name.start"))) "$([[ $rc == 0 ]] && echo ok || echo FAILED)"
	if [[ $rc != 0 ]]; then
		status=1
		return 1
	fi
}

stage "dev dependencies (npm ci when missing)" required install_deps

e2e_files=()
if [[ "${SKIP_E2E:-0}" == 1 ]]; then
	echo "== SKIP_E2E=1: the real-n8n suites (e2e, n8n 1.x, queue mode, browser) are skipped"
else
	N8N1_VERSION="$(sed -n "s/.*legacy: '\([0-9.]*\)'.*/\1/p" scripts/n8n/install.ts)"
	start_install "n8n-2.x" bash scripts/n8n/install.sh
	e2e_files+=(test/e2e/n8n.e2e.test.ts test/e2e/mailbox.e2e.test.ts test/e2e/instant.e2e.test.ts)
	if [[ "${SKIP_N8N1:-0}" == 1 ]]; then
		echo "== SKIP_N8N1=1: the n8n 1.x suite is skipped"
	else
		start_install "n8n-$N8N1_VERSION" env N8N_E2E_N8N_VERSION="$N8N1_VERSION" bash scripts/n8n/install.sh
		e2e_files+=(test/e2e/n8n1.e2e.test.ts test/e2e/instant1.e2e.test.ts)
	fi
	if [[ "${SKIP_QUEUE:-0}" == 1 ]]; then
		echo "== SKIP_QUEUE=1: the queue-mode suite is skipped"
	else
		start_install "redis+postgres" bash scripts/n8n/install-queue-services.sh
		e2e_files+=(test/e2e/queueMode.e2e.test.ts)
	fi
fi

stage "type-check" required npx tsc -p tsconfig.test.json --noEmit
stage "build" required npm run build --silent
stage "lint (eslint, n8n scan: source + tarball)" required npm run lint --silent
stage "unit + integration + package tests" optional tests "unit + integration" 1 test/unit/*.test.ts test/integration/*.test.ts test/package/*.test.ts

if ((${#e2e_files[@]} > 0)); then
	for name in "${!install_pids[@]}"; do await_install "$name" || true; done
	install_pids=()
	# The build above is what the e2e suites pack.
	export N8N_E2E_SKIP_BUILD=1
	stage "real n8n: ${#e2e_files[@]} suites" optional tests "real n8n" "${E2E_CONCURRENCY:-3}" "${e2e_files[@]}"
	stage "browser (chromium)" optional tests "browser" 1 test/browser/*.test.ts
fi

summary
exit "$status"
