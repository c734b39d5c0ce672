#!/usr/bin/env bash
# Dashboard benchmark: with TARGET_ROWS (1,000,000) prompt logs, the server's time for the overview and the
# prompt-history pages and for every fragment they load (wrk, p95 target <= 100 ms each), and each page's load in
# Debian's headless Chromium (Navigation Timing loadEventEnd, target <= 500 ms; and the time until its fragments
# have arrived).
#
#   bench/pages.sh                       build the jar from this repository, then benchmark it
#   JAR=/path/storyboard-server.jar TARGET_ROWS=1000000 bench/pages.sh
#
# Writes bench/results/pages-latest.md and the raw output to bench/results/pages-<UTC timestamp>/.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
JAR=${JAR:-}
TARGET_ROWS=${TARGET_ROWS:-1000000}
CONNECTIONS=${CONNECTIONS:-4}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
RUNS=${RUNS:-10}
TARGET_P95_MS=100
TARGET_LOAD_MS=500
PAGES=${PAGES:-"/ /history /prompts /assets /events /budgets"}

source "$BENCH_DIR/lib.sh"
JAVA_OPTS=${JAVA_OPTS-$LAUNCHER_JVM_OPTS}
kv() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | tail -1; }
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
for tool in java curl psql wrk /usr/bin/chromium; do command -v "$tool" >/dev/null || die "$tool is required"; done

SERVER_PID=""
DATA_DIR=$(mktemp -d /tmp/sbs-pages-bench.XXXXXX)
cleanup() {
    local rc=$?
    set +e
    stop_server "$SERVER_PID"
    [ "${KEEP_DATA:-}" = 1 ] || rm -rf "$DATA_DIR"
    exit "$rc"
}
trap cleanup EXIT

ensure_jar
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN="$BENCH_DIR/results/pages-$STAMP"
mkdir -p "$RUN"
log "test classpath for Playwright (./mvnw dependency:build-classpath)"
(cd "$REPO_DIR" && ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$DATA_DIR/cp.txt") \
    || die "could not resolve the test classpath"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
log "starting the server on port $PORT"
(cd "$DATA_DIR" && exec env -u DATABASE_URL -u LOG_FILE -u JAVA_TOOL_OPTIONS AUTH_TOKEN="$TOKEN" RATE_LIMIT=0 \
    RATE_LIMIT_INGEST=0 java $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA_DIR/data") \
    > "$DATA_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do curl -sf -o /dev/null "$BASE/healthz" && break; sleep 0.5; done
curl -sf -o /dev/null "$BASE/readyz" || { tail -20 "$DATA_DIR/server.log" >&2; die "server not ready"; }
PG_PORT=$(sed -n 's/.*Database: embedded PostgreSQL in .* (localhost:\([0-9]*\)).*/\1/p' "$DATA_DIR/server.log" | head -1)
[ -n "$PG_PORT" ] || die "no embedded PostgreSQL port in the banner"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)

log "loading $TARGET_ROWS prompt logs with SQL (2 sessions, bench/sql/load_rows.sql)"
T0=$(date +%s)
PIDS=()
for session in 0 1; do
    "${PSQL[@]}" -v rows="$TARGET_ROWS" -v chunk=25000 -v session=$session -v sessions=2 -v seed=0.$((session + 1))1 \
        -f "$BENCH_DIR/sql/load_rows.sql" > "$RUN/load-$session.txt" 2>&1 &
    PIDS+=($!)
done
for p in "${PIDS[@]}"; do wait "$p" || { cat "$RUN"/load-*.txt >&2; die "loading failed"; }; done
# Rows loaded with SQL bypass the server: its hourly rollup is rebuilt from them, as the migration does.
"${PSQL[@]}" -f "$BENCH_DIR/sql/rebuild_rollup.sql" > "$RUN/rollup.txt" 2>&1 || { cat "$RUN/rollup.txt" >&2; die "rollup failed"; }
"${PSQL[@]}" -c "vacuum analyze" -c "checkpoint" >/dev/null
LOAD_S=$(( $(date +%s) - T0 ))
ROWS=$("${PSQL[@]}" -At -c "select count(*) from prompt_log")
log "loaded: $ROWS rows in ${LOAD_S}s"
# Some logs of today, through the API, so that today's figures and the newest rows are not empty.
for i in $(seq 1 20); do
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        --data "{\"type\":\"shots\",\"projectId\":\"project-0$((i % 5 + 1))\",\"tokens\":1200,\"cost\":0.02,\"prompt\":\"bench $i\"}" \
        "$BASE/api/v1/prompt-history"
done

# The requests to measure: each page's HTML, and each fragment it loads by itself (hx-get with a load or revealed
# trigger), found in the pages' HTML as a browser would.
unescape() { sed -e 's/&amp;/\&/g' -e 's/&#x2F;/\//g' -e 's/&#61;/=/g'; }
TARGETS=()
for page in / /history; do
    TARGETS+=("$page")
    curl -sf -H "Authorization: Bearer $TOKEN" "$BASE$page" > "$DATA_DIR/page$(echo "$page" | tr / _).html"
    while read -r frag; do TARGETS+=("$frag"); done < <(grep -o 'hx-get="[^"]*"' "$DATA_DIR/page$(echo "$page" | tr / _).html" \
        | sed 's/^hx-get="//; s/"$//' | unescape | grep -v '^$' | sort -u)
done
log "measuring ${#TARGETS[@]} requests: ${TARGETS[*]}"
ROWS_MD=""
ALL_PASS=PASS
for target in "${TARGETS[@]}"; do
    name=$(echo "$target" | tr -c 'a-zA-Z0-9' _)
    BENCH_TOKEN="$TOKEN" BENCH_PATH="$target" wrk -t 2 -c "$CONNECTIONS" -d "${WARMUP}s" -s "$BENCH_DIR/wrk/bench.lua" "$BASE" > /dev/null
    BENCH_TOKEN="$TOKEN" BENCH_PATH="$target" wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" -s "$BENCH_DIR/wrk/bench.lua" "$BASE" \
        > "$RUN/wrk-$name.txt"
    line=$(grep '^BENCH ' "$RUN/wrk-$name.txt" | tail -1)
    p95=$(echo " $line" | kv p95_ms); non2xx=$(echo " $line" | kv non2xx)
    verdict=$(awk "BEGIN { print ($p95 <= $TARGET_P95_MS && $non2xx == 0) ? \"PASS\" : \"FAIL\" }")
    [ "$verdict" = PASS ] || ALL_PASS=FAIL
    ROWS_MD+="| \`GET $target\` | **p95 $p95 ms** (p50 $(echo " $line" | kv p50_ms), p99 $(echo " $line" | kv p99_ms), max $(echo " $line" | kv max_ms); $(echo " $line" | kv rps) req/s; $non2xx non-2xx) | p95 <= $TARGET_P95_MS ms | $verdict |"$'\n'
done

log "page loads in Chromium: $PAGES ($RUNS runs each after a warm-up)"
java -cp "$(cat "$DATA_DIR/cp.txt")" "$BENCH_DIR/pages/PageTimings.java" "$BASE" "$TOKEN" "$RUNS" $PAGES | tee "$RUN/chromium.txt" >&2
LOAD_MD=""
while read -r line; do
    path=$(echo " $line" | kv path); p95=$(echo " $line" | kv load_p95_ms)
    verdict=$(awk "BEGIN { print ($p95 <= $TARGET_LOAD_MS) ? \"PASS\" : \"FAIL\" }")
    [ "$verdict" = PASS ] || ALL_PASS=FAIL
    LOAD_MD+="| \`$path\` in Chromium | **loadEventEnd p95 $p95 ms** (p50 $(echo " $line" | kv load_p50_ms), max $(echo " $line" | kv load_max_ms)); fragments arrived p50 $(echo " $line" | kv settled_p50_ms), p95 $(echo " $line" | kv settled_p95_ms) ms | p95 <= $TARGET_LOAD_MS ms | $verdict |"$'\n'
done < <(grep '^PAGE ' "$RUN/chromium.txt")
CONSOLE=$(grep '^CONSOLE ' "$RUN/chromium.txt" || echo "CONSOLE missing")
grep -E 'WARN|ERROR' "$DATA_DIR/server.log" | head -50 > "$RUN/server-warnings.txt" || true

cat > "$BENCH_DIR/results/pages-latest.md" <<MD
# Dashboard benchmark: $STAMP ($ALL_PASS)

$ROWS prompt logs (bench/sql/load_rows.sql, 90 days, 50 projects; loaded in ${LOAD_S}s), on this machine
($(nproc) cores), the server's embedded PostgreSQL, the bench's admin token. Server time: \`wrk -t2 -c$CONNECTIONS
-d${DURATION}s\` after ${WARMUP}s of warm-up, on each page's HTML and on each fragment the page loads by itself.
Browser: Debian's $(/usr/bin/chromium --version 2>/dev/null | head -1) headless, one profile (static files cached
after the first load, as for anyone who opened the dashboard before), 1280 x 860, $RUNS loads per page after one
warm-up. Raw output: [pages-$STAMP/](pages-$STAMP/).

| Request | Figure | Target | Result |
|---|---|---|---|
$ROWS_MD$LOAD_MD
Browser console: $CONSOLE.
Server: \`java $JAVA_OPTS -jar $(basename "$JAR")\`, RATE_LIMIT=0; java: $(java -version 2>&1 | head -1).
MD
cp "$BENCH_DIR/results/pages-latest.md" "$RUN/summary.md"
log "summary: $BENCH_DIR/results/pages-latest.md"
cat "$BENCH_DIR/results/pages-latest.md"
