#!/usr/bin/env bash
# Event fan-out benchmark: SUBSCRIBERS Server-Sent-Event subscribers on one server receive each of EVENTS events
# (one prompt log posted at a time, so one prompt_log.created each). Measures delivery latency after the event
# was written (p99 target: <= 200 ms) and checks that no subscriber missed or reordered an event.
#
#   bench/events.sh                       build the jar from this repository, then benchmark it
#   JAR=/path/storyboard-server.jar bench/events.sh
#
# Writes bench/results/events-latest.md and the raw output to bench/results/events-<UTC timestamp>/.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
JAR=${JAR:-}
SUBSCRIBERS=${SUBSCRIBERS:-100}
EVENTS=${EVENTS:-1000}
TARGET_P99_MS=200

source "$BENCH_DIR/lib.sh"
JAVA_OPTS=${JAVA_OPTS-$LAUNCHER_JVM_OPTS}   # the launcher's JVM flags, unless given (JAVA_OPTS= for none)
kv() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | tail -1; }

SERVER_PID=""
DATA_DIR=$(mktemp -d /tmp/sbs-events-bench.XXXXXX)
cleanup() {
    local rc=$?
    set +e
    stop_server "$SERVER_PID"
    rm -rf "$DATA_DIR"
    exit "$rc"
}
trap cleanup EXIT

ensure_jar
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN="$BENCH_DIR/results/events-$STAMP"
mkdir -p "$RUN"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
log "starting the server on port $PORT"
# Rate limits off: the whole load comes from one credential.
(cd "$DATA_DIR" && exec env -u DATABASE_URL -u LOG_FILE -u JAVA_TOOL_OPTIONS AUTH_TOKEN="$TOKEN" RATE_LIMIT=0 \
    RATE_LIMIT_INGEST=0 java $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA_DIR/data") \
    > "$DATA_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz" || { tail -20 "$DATA_DIR/server.log" >&2; die "server not ready"; }

log "warm-up: 5 subscribers, 200 events"
java "$BENCH_DIR/events/SseBench.java" "http://127.0.0.1:$PORT" "$TOKEN" 5 200 > "$RUN/warmup.txt"
log "measuring: $SUBSCRIBERS subscribers, $EVENTS events"
java "$BENCH_DIR/events/SseBench.java" "http://127.0.0.1:$PORT" "$TOKEN" "$SUBSCRIBERS" "$EVENTS" | tee "$RUN/sse.txt" >&2
RESULT=$(grep 'phase=result' "$RUN/sse.txt")
P99=$(echo " $RESULT" | kv p99_ms)
MISSING=$(echo " $RESULT" | kv missing)
DISORDER=$(echo " $RESULT" | kv out_of_order)
COMPLETE=$(echo " $RESULT" | kv complete_subscribers)
VERDICT_LAT=$(awk "BEGIN { print ($P99 <= $TARGET_P99_MS) ? \"PASS\" : \"FAIL\" }")
VERDICT_ALL=$([ "$MISSING" = 0 ] && [ "$DISORDER" = 0 ] && [ "$COMPLETE" = "$SUBSCRIBERS" ] && echo PASS || echo FAIL)
grep -c '' "$DATA_DIR/server.log" > "$RUN/server-log-lines.txt"
grep -E 'WARN|ERROR' "$DATA_DIR/server.log" | head -50 > "$RUN/server-warnings.txt" || true

cat > "$BENCH_DIR/results/events-latest.md" <<MD
# Event fan-out benchmark: $STAMP

$SUBSCRIBERS Server-Sent-Event subscribers (\`/api/v1/events/stream\`) on one server, $EVENTS prompt logs posted one
after another (one \`prompt_log.created\` event each), all on this machine ($(nproc) cores). Latency: the time a
subscriber read the event minus the event's \`at\` (written by PostgreSQL when the event row was inserted,
before the commit), same clock. Raw output: [events-$STAMP/](events-$STAMP/).

| Measurement | Figure | Target | Result |
|---|---|---|---|
| Delivery latency | p50 $(echo " $RESULT" | kv p50_ms) ms, p95 $(echo " $RESULT" | kv p95_ms) ms, **p99 $P99 ms**, max $(echo " $RESULT" | kv max_ms) ms over $(echo " $RESULT" | kv deliveries) deliveries | p99 <= $TARGET_P99_MS ms | $VERDICT_LAT |
| Completeness | $COMPLETE of $SUBSCRIBERS subscribers got all $EVENTS events; missing $MISSING, out of order $DISORDER | none missed | $VERDICT_ALL |
| Posting | $EVENTS posts in $(echo " $RESULT" | kv post_seconds) s, $(echo " $RESULT" | kv posts_failed) failed | | |

Server: \`java $JAVA_OPTS -jar $(basename "$JAR")\` on its embedded PostgreSQL, RATE_LIMIT=0, RATE_LIMIT_INGEST=0.
java: $(java -version 2>&1 | head -1).
MD
cp "$BENCH_DIR/results/events-latest.md" "$RUN/summary.md"
log "summary: $BENCH_DIR/results/events-latest.md"
cat "$BENCH_DIR/results/events-latest.md"
