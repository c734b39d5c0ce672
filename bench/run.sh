#!/usr/bin/env bash
# Storyboard Server benchmark: ingest throughput against raw PostgreSQL, JVM memory, and read latency at
# 1,000,000 rows, in one run of about 5 minutes (2 cores). See bench/README.md.
#
#   bench/run.sh                      build the jar from this repository, then benchmark it
#   JAR=/path/storyboard-server.jar bench/run.sh      benchmark a prebuilt jar
#
# Raw outputs go to bench/results/<UTC timestamp>/, the summary to bench/results/latest.md (and a copy in the
# timestamped folder). Everything this script starts (server, embedded PostgreSQL, samplers, loaders) is
# stopped when it exits, however it exits. Only 127.0.0.1 is contacted.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
source "$BENCH_DIR/lib.sh"

# ---- settings (environment) ---------------------------------------------------------------------------------
JAR=${JAR:-}
PAYLOAD=${PAYLOAD:-}                       # the prompt log POSTed and inserted; default: the contract's v3_shots.json
CLIENTS=${CLIENTS:-32}                     # pgbench clients and wrk connections for the ingest steps
THREADS=${THREADS:-2}                      # pgbench -j and wrk -t
DURATION=${DURATION:-20}                   # seconds of each ingest measurement
WARMUP=${WARMUP:-5}                        # seconds of unrecorded load before each HTTP ingest measurement (JIT)
BATCH=${BATCH:-100}                        # rows per transaction (step 3) and items per batch request (step 4)
TARGET_ROWS=${TARGET_ROWS:-1000000}        # rows in prompt_log before the read measurements
READ_DATASET=${READ_DATASET:-fresh}        # fresh: empty prompt_log, then load TARGET_ROWS varied rows (the same
                                           #   data whatever steps 1-4 stored); append: keep steps 1-4's rows
                                           #   (all the same v3_shots text) and add rows up to TARGET_ROWS
JAVA_OPTS=${JAVA_OPTS-$LAUNCHER_JVM_OPTS}  # JVM flags for the server: the launcher's, unless given (JAVA_OPTS= for none)
READ_CONNECTIONS=${READ_CONNECTIONS:-4}
READ_DURATION=${READ_DURATION:-15}
READ_WARMUP=${READ_WARMUP:-3}
READ_PROJECT=${READ_PROJECT:-project-07}   # project of the filtered page
COMMON_WORD=${COMMON_WORD:-harbor}         # a frequent full-text term (one of the 40 places in the loaded text)
STATS_REQUESTS=${STATS_REQUESTS:-20}
BENCH_PORT=${BENCH_PORT:-}                 # HTTP port of the server; default: a free one from 18090
KEEP_DATA=${KEEP_DATA:-0}                  # 1: keep the server's data directory (several GB) after the run
PGBENCH=${PGBENCH:-/usr/bin/pgbench}

# Targets.
TARGET_SINGLE_RATIO=2       # step 2 rows/s >= 2 x step 1 rows/s
TARGET_SINGLE_P99_MS=25
TARGET_BATCH_RATIO=0.8      # step 4 rows/s >= 0.8 x step 3 rows/s
TARGET_RSS_MB=400
TARGET_LIST_P95_MS=10
TARGET_SEARCH_P95_MS=50
TARGET_STATS_MS=250

# ---- helpers ------------------------------------------------------------------------------------------------
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", ($1) }"; }    # calc EXPR [DECIMALS]; () keeps > a comparison
kv() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | tail -1; }   # a key=value of a BENCH line

SERVER_PID=""
PG_PID=""
SAMPLER_PID=""
WATCHER_PID=""
LOADER_PIDS=()
DATA_DIR=""

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
    [ -n "$WATCHER_PID" ] && kill "$WATCHER_PID" 2>/dev/null
    for p in "${LOADER_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    stop_server "$SERVER_PID"
    # The server stops its embedded PostgreSQL itself; make sure, in case it was killed.
    if [ -n "$PG_PID" ] && kill -0 "$PG_PID" 2>/dev/null; then
        log "stopping the embedded PostgreSQL (pid $PG_PID)"
        kill -INT "$PG_PID"
        for _ in $(seq 1 40); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$PG_PID" 2>/dev/null && kill -QUIT "$PG_PID"
    fi
    if [ -n "$DATA_DIR" ] && [ -d "$DATA_DIR" ]; then
        if [ "$KEEP_DATA" = 1 ]; then log "data kept in $DATA_DIR"; else rm -rf "$DATA_DIR"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- tools --------------------------------------------------------------------------------------------------
for tool in java curl jq psql awk; do command -v "$tool" >/dev/null || die "$tool is required"; done
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench) || die "pgbench is required (/usr/bin/pgbench)"
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing wrk"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    fi
    command -v wrk >/dev/null || die "wrk is required (apt-get install wrk)"
fi

# The B-Line app's own payload, from the repository's byte-identical copy of the client contract.
[ -n "$PAYLOAD" ] || PAYLOAD="$REPO_DIR/src/test/resources/contract/b-line/prompt-logs/v3_shots.json"
case "$READ_DATASET" in fresh|append) ;; *) die "READ_DATASET must be fresh or append" ;; esac
[ -n "$PAYLOAD" ] && [ -f "$PAYLOAD" ] || die "v3_shots.json not found; set PAYLOAD=/path/to/v3_shots.json"
PAYLOAD=$(cd "$(dirname "$PAYLOAD")" && pwd)/$(basename "$PAYLOAD")

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$BENCH_DIR/results"
RUN="$RESULTS_DIR/$STAMP"
# Generated inputs (pgbench scripts, captured SQL, EXPLAIN scripts) go to bench/work, which git ignores: the
# harness makes them again on every run; only the figures and summaries under bench/results are committed.
WORK="$BENCH_DIR/work/$STAMP"
mkdir -p "$RUN" "$WORK"
log "results: $RUN"
RUN_START=$(now)

# ---- the jar ------------------------------------------------------------------------------------------------
if [ -z "$JAR" ]; then
    log "building the jar in $REPO_DIR (./mvnw -q -B package -DskipTests)"
    (cd "$REPO_DIR" && timeout 900 ./mvnw -q -B package -DskipTests) > "$RUN/build.txt" 2>&1 \
        || { tail -30 "$RUN/build.txt" >&2; die "build failed (see $RUN/build.txt)"; }
    JAR="$REPO_DIR/target/storyboard-server.jar"
fi
[ -f "$JAR" ] || die "no jar at $JAR"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")

# ---- environment record -------------------------------------------------------------------------------------
{
    echo "date (UTC): $(date -u '+%Y-%m-%d %H:%M:%S')"
    echo "host: $(uname -srm); cores: $(nproc); memory: $(free -m | awk '/^Mem:/ {print $2 " MB"}')"
    echo "repo: $REPO_DIR @ $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')"\
         "$(git -C "$REPO_DIR" status --porcelain -- . ':(exclude)bench' 2>/dev/null | grep -q . && echo '(uncommitted changes outside bench/)')"
    JAR_REPO=$(git -C "$(dirname "$JAR")" rev-parse --show-toplevel 2>/dev/null || true)
    echo "jar: $JAR ($(stat -c %s "$JAR") bytes, built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M:%S'))"\
         "${JAR_REPO:+from $JAR_REPO @ $(git -C "$JAR_REPO" log -1 --format='%h %s' | cut -c1-90)}"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "JVM ergonomics (defaults on this machine): $(java -XX:+PrintFlagsFinal -version 2>/dev/null \
        | awk '$2 ~ /^(InitialHeapSize|MaxHeapSize|UseG1GC|UseSerialGC|UseParallelGC)$/ { printf "%s=%s ", $2, $4 }')"
    echo "pgbench: $("$PGBENCH" --version)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "payload: $PAYLOAD ($(stat -c %s "$PAYLOAD") bytes)"
    echo "settings: CLIENTS=$CLIENTS THREADS=$THREADS DURATION=$DURATION WARMUP=$WARMUP BATCH=$BATCH"\
         "TARGET_ROWS=$TARGET_ROWS READ_CONNECTIONS=$READ_CONNECTIONS READ_DURATION=$READ_DURATION"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "busiest processes at start:"
    ps -eo pid,pcpu,rss,etime,args --sort=-pcpu | head -8 | cut -c1-160
} > "$RUN/environment.txt"

# ---- the server ---------------------------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "$BENCH_PORT" ]; then
    BENCH_PORT=18090
    while ! port_free "$BENCH_PORT"; do BENCH_PORT=$((BENCH_PORT + 1)); done
fi
port_free "$BENCH_PORT" || die "port $BENCH_PORT is in use"
BASE="http://127.0.0.1:$BENCH_PORT"
API="$BASE/api/v1/prompt-history"
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
AUTH="Authorization: Bearer $TOKEN"

DATA_DIR=$(mktemp -d /tmp/sbs-bench-data.XXXXXX)
SERVER_LOG="$DATA_DIR/server.log"   # one line per request and per row: kept out of results/, summarised there
log "starting the server on $BASE (data in $DATA_DIR)"
# Run from the data directory so that no ./.env is picked up. Rate limits off: the load comes from one
# credential, far above any one studio token's default limit (RATE_LIMIT_INGEST, 1000/s).
(cd "$DATA_DIR" && exec env -u DATABASE_URL -u LOG_FILE -u LOG_FORMAT -u MAX_BODY_BYTES -u JAVA_TOOL_OPTIONS \
    AUTH_TOKEN="$TOKEN" RATE_LIMIT=0 RATE_LIMIT_INGEST=0 java $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$BENCH_PORT" --data-dir "$DATA_DIR/data") \
    > "$SERVER_LOG" 2>&1 &
SERVER_PID=$!
echo "java ${JAVA_OPTS:+$JAVA_OPTS }-jar $JAR serve --host 127.0.0.1 --port $BENCH_PORT --data-dir $DATA_DIR/data  (AUTH_TOKEN set, RATE_LIMIT=0, RATE_LIMIT_INGEST=0)" \
    > "$RUN/server-command.txt"
T0=$(now)
until curl -sf -o /dev/null --max-time 2 "$BASE/healthz"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$SERVER_LOG" >&2; die "the server exited"; }
    [ "$(calc "$(now) - $T0 > 120" 0)" = 1 ] && die "the server did not answer /healthz within 120 s"
    sleep 0.5
done
STARTUP_S=$(calc "$(now) - $T0" 1)
PG_PORT=$(sed -n 's/.*Database: embedded PostgreSQL in .* (localhost:\([0-9]*\)).*/\1/p' "$SERVER_LOG" | head -1)
[ -n "$PG_PORT" ] || die "no embedded PostgreSQL port in the banner (is DATABASE_URL set?)"
PG_PID=$(head -1 "$DATA_DIR/data/postgres/postmaster.pid")
log "server up in ${STARTUP_S}s (pid $SERVER_PID); PostgreSQL on 127.0.0.1:$PG_PORT (pid $PG_PID)"
sed -n '/Storyboard Server/,/^$/p' "$SERVER_LOG" > "$RUN/server-banner.txt"

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
sql() { "${PSQL[@]}" -At -c "$1"; }
rows() { sql "select count(*) from prompt_log"; }
sql "select version()" > "$RUN/postgres-version.txt"
sql "select name || ' = ' || setting || coalesce(' ' || unit, '') from pg_settings where name in
     ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'fsync', 'synchronous_commit',
      'full_page_writes', 'max_connections', 'effective_cache_size', 'random_page_cost', 'jit',
      'max_parallel_workers_per_gather', 'wal_level', 'checkpoint_timeout', 'plan_cache_mode') order by 1" \
    > "$RUN/postgres-settings.txt"

# ---- CPU and memory sampler (one line a second for the whole run) -------------------------------------------
# epoch  jvm_rss_kb  then CPU ticks used so far by: the JVM, PostgreSQL (the postmaster and its children), this
# harness and everything it started besides the server (wrk, pgbench, psql, curl: the load generators), every
# other process on the machine; then the machine's busy and total ticks (/proc/stat). Counted as per-process
# differences between samples, so processes that come and go (pgbench's backends) are counted too.
CLK_TCK=$(getconf CLK_TCK)
NCPU=$(nproc)
SAMPLES="$RUN/samples.txt"
PHASES="$RUN/phases.txt"
TICKS_STATE="$DATA_DIR/ticks.state"
: > "$PHASES"
sample_loop() {
    local t rss busy total ij ip im io aj=0 ap=0 am=0 ao=0
    : > "$TICKS_STATE"
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        t=$(now)
        rss=$(ps -o rss= -p "$SERVER_PID" 2>/dev/null | tr -d ' ' || true)
        read -r ij ip im io < <(awk -v st="$TICKS_STATE" -v jp="$SERVER_PID" -v pp="$PG_PID" -v me="$$" '
            FILENAME == st { prev[$1] = $2; next }
            { s = $0; sub(/^.*\) /, "", s); split(s, f, " "); ppid[$1] = f[2]; ticks[$1] = f[12] + f[13] }
            END {
                for (pid in ticks) {
                    print pid, ticks[pid] > (st ".new")
                    d = ticks[pid] - ((pid in prev) ? prev[pid] : 0)
                    if (d <= 0) continue
                    if (pid == jp) c = "j"
                    else if (pid == pp || ppid[pid] == pp) c = "p"
                    else {
                        c = "o"; q = pid
                        for (i = 0; i < 40 && q > 1; i++) { if (q == me) { c = "m"; break } q = ppid[q] }
                    }
                    inc[c] += d
                }
                printf "%d %d %d %d\n", inc["j"], inc["p"], inc["m"], inc["o"]
            }' "$TICKS_STATE" /proc/[0-9]*/stat 2>/dev/null) || true
        mv -f "$TICKS_STATE.new" "$TICKS_STATE" 2>/dev/null || true
        aj=$((aj + ${ij:-0})); ap=$((ap + ${ip:-0})); am=$((am + ${im:-0})); ao=$((ao + ${io:-0}))
        read -r busy total < <(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
        echo "$t ${rss:-0} $aj $ap $am $ao $busy $total"
        sleep 1
    done
}
sample_loop > "$SAMPLES" 2>/dev/null &
SAMPLER_PID=$!

# Counters read at both ends of a phase: WAL position, checkpoints, and the JVM's GC collections and pause time.
pg_counters() { sql "select pg_current_wal_lsn() - '0/0'::pg_lsn, checkpoints_timed + checkpoints_req from pg_stat_bgwriter" | tr '|' ' '; }
gc_counters() {   # "collections pause_ms", from jstat's header names (columns differ between JDKs)
    { command -v jstat >/dev/null && timeout 20 jstat -gc "$SERVER_PID" 2>/dev/null; } | awk '
        NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
        NR == 2 { printf "%d %.0f\n", $h["YGC"] + $h["FGC"], 1000 * ($h["YGCT"] + $h["FGCT"]) }' || true
}
phase_begin() {
    PHASE_NAME=$1
    read -r PHASE_WAL0 PHASE_CKPT0 < <(pg_counters) || true
    read -r PHASE_GC0 PHASE_GCMS0 < <(gc_counters) || true
    PHASE_T0=$(now)
}
phase_end() {
    local t1 wal ckpt gc gcms
    t1=$(now)
    read -r wal ckpt < <(pg_counters) || true
    read -r gc gcms < <(gc_counters) || true
    # name start end wal_bytes checkpoints gc_collections gc_pause_ms
    echo "$PHASE_NAME $PHASE_T0 $t1 $(( ${wal:-0} - ${PHASE_WAL0:-0} )) $(( ${ckpt:-0} - ${PHASE_CKPT0:-0} )) $(( ${gc:-0} - ${PHASE_GC0:-0} )) $(( ${gcms:-0} - ${PHASE_GCMS0:-0} ))" >> "$PHASES"
}
# phase_stat NAME -> "max_rss_mb jvm_cores pg_cores harness_cores other_cores machine_busy_pct" over the phase.
phase_stat() {
    local line
    line=$(grep "^$1 " "$PHASES" | tail -1) || { echo "- - - - - -"; return; }
    awk -v s="$(echo "$line" | cut -d' ' -f2)" -v e="$(echo "$line" | cut -d' ' -f3)" -v hz="$CLK_TCK" '
        $1 >= s && $1 <= e {
            if (n == 0) { t0 = $1; j0 = $3; p0 = $4; m0 = $5; o0 = $6; b0 = $7; a0 = $8 }
            t1 = $1; j1 = $3; p1 = $4; m1 = $5; o1 = $6; b1 = $7; a1 = $8; n++
            if ($2 > rss) rss = $2 }
        END {
            if (n < 2) { printf "%.0f - - - - -\n", rss / 1024; exit }
            dt = t1 - t0
            printf "%.0f %.2f %.2f %.2f %.2f %.0f\n", rss / 1024, (j1 - j0) / hz / dt, (p1 - p0) / hz / dt,
                (m1 - m0) / hz / dt, (o1 - o0) / hz / dt, 100 * (b1 - b0) / (a1 - a0) }
    ' "$SAMPLES"
}

# ---- pgbench scripts from the payload -----------------------------------------------------------------------
# The same values the server stores for this payload (see PromptLogWriter.INSERT); id and received_at fresh.
PAYLOAD_SHA=$(sha256sum "$PAYLOAD" | cut -d' ' -f1)
ROW=$(jq -r --arg sha "$PAYLOAD_SHA" '
    def lit: if . == null then "null" else "'"'"'" + (tostring | gsub("'"'"'"; "'"'"''"'"'")) + "'"'"'" end;
    "(gen_random_uuid(), now(), " + (if .timestamp then (.timestamp | lit) + "::timestamptz" else "now()" end)
    + ", " + (.timestamp | lit) + ", " + (.category | lit) + ", " + (.type | lit) + ", " + (.user | lit)
    + ", " + (.version | lit) + ", " + (.llm | lit) + ", " + (.prompt | lit) + ", " + (.response | lit)
    + ", " + (.tokens | lit) + "::bigint, " + (.cost | lit) + "::numeric, "
    + (if .context then (.context | tojson | lit) + "::jsonb" else "null" end)
    + ", " + ($sha | lit) + ", " + (.context.sceneId | lit) + ", " + (.context.sceneName | lit)
    + ", " + ((.projectId // .context.projectId) | lit) + ", " + (.projectId | lit) + ")"' "$PAYLOAD")
COLUMNS_SQL="insert into prompt_log (id, received_at, occurred_at, client_timestamp, category, type, user_name,
    version, llm, prompt, response, tokens, cost, context, body_sha256, scene_id, scene_name, project, project_id)"
{
    echo "-- pgbench script: one row per transaction, the values the server stores for $(basename "$PAYLOAD")."
    echo "$COLUMNS_SQL"
    echo "values $ROW;"
} > "$WORK/pgbench-1row.sql"
{
    echo "-- pgbench script: $BATCH rows per transaction in one multi-row INSERT, as step 1's row."
    echo "$COLUMNS_SQL"
    echo "values"
    for i in $(seq 1 "$BATCH"); do
        if [ "$i" -lt "$BATCH" ]; then echo "$ROW,"; else echo "$ROW;"; fi
    done
} > "$WORK/pgbench-${BATCH}rows.sql"
"${PSQL[@]}" -c "begin" -f "$WORK/pgbench-1row.sql" -c "rollback" >/dev/null \
    || die "the generated pgbench script does not run (see $WORK/pgbench-1row.sql)"

run_pgbench() {   # run_pgbench SCRIPT OUT -> prints tps
    "$PGBENCH" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$CLIENTS" -j "$THREADS" -T "$DURATION" -P 5 \
        -f "$1" postgres > "$2" 2>&1 || { cat "$2" >&2; die "pgbench failed"; }
    sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' "$2" | tail -1
}

run_wrk() {   # run_wrk OUT CONNECTIONS SECONDS URL [env...] -> the BENCH line
    local out=$1 conns=$2 secs=$3 url=$4; shift 4
    env BENCH_TOKEN="$TOKEN" "$@" wrk -t "$THREADS" -c "$conns" -d "${secs}s" --timeout 10s --latency \
        -s "$BENCH_DIR/wrk/bench.lua" "$url" > "$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
    grep '^BENCH ' "$out" | tail -1
}

check_http_errors() {   # check_http_errors BENCH_LINE STEP
    local bad
    bad=$(echo "$1" | awk '{ n = 0; for (i = 2; i <= NF; i++) { split($i, kv, "=");
            if (kv[1] ~ /^(non2xx|connect_errors|read_errors|write_errors|timeouts)$/) n += kv[2] } print n }')
    echo "$bad"
    [ "$bad" = 0 ] || log "WARNING: $2 had $bad failed requests"
}

ROWS_BEFORE=$(rows)

# ---- step 1: pgbench, one row per transaction ---------------------------------------------------------------
log "step 1: pgbench, 1 row per transaction, $CLIENTS clients, ${DURATION}s"
R0=$(rows); phase_begin step1
PG1_TPS=$(run_pgbench "$WORK/pgbench-1row.sql" "$RUN/1-pgbench-1row.txt")
phase_end; R1=$(rows)
PG1_ROWS=$PG1_TPS
log "  $PG1_ROWS rows/s (table +$((R1 - R0)) rows)"

# ---- step 2: wrk, POST one log per request ------------------------------------------------------------------
log "step 2: wrk POST /api/v1/prompt-history, $CLIENTS connections, ${WARMUP}s warm-up + ${DURATION}s"
phase_begin step2
run_wrk "$RUN/2-wrk-single-warmup.txt" "$CLIENTS" "$WARMUP" "$API" BENCH_BODY_FILE="$PAYLOAD" >/dev/null
R0=$(rows)
W2=$(run_wrk "$RUN/2-wrk-single.txt" "$CLIENTS" "$DURATION" "$API" BENCH_BODY_FILE="$PAYLOAD")
phase_end; R1=$(rows)
W2_RPS=$(echo "$W2" | kv rps); W2_P99=$(echo "$W2" | kv p99_ms); W2_P50=$(echo "$W2" | kv p50_ms)
W2_ERR=$(check_http_errors "$W2" "step 2")
W2_DB=$((R1 - R0))
log "  $W2_RPS req/s, p50 $W2_P50 ms, p99 $W2_P99 ms (table +$W2_DB rows, $W2_ERR failed requests)"

# ---- step 3: pgbench, BATCH rows per transaction ------------------------------------------------------------
log "step 3: pgbench, $BATCH rows per transaction, $CLIENTS clients, ${DURATION}s"
R0=$(rows); phase_begin step3
PG3_TPS=$(run_pgbench "$WORK/pgbench-${BATCH}rows.sql" "$RUN/3-pgbench-${BATCH}rows.txt")
phase_end; R1=$(rows)
PG3_ROWS=$(calc "$PG3_TPS * $BATCH" 1)
log "  $PG3_TPS tps = $PG3_ROWS rows/s (table +$((R1 - R0)) rows)"

# ---- step 4: wrk, POST batches ------------------------------------------------------------------------------
log "step 4: wrk POST /api/v1/prompt-history/batch ($BATCH items), $CLIENTS connections, ${WARMUP}s warm-up + ${DURATION}s"
phase_begin step4
run_wrk "$RUN/4-wrk-batch-warmup.txt" "$CLIENTS" "$WARMUP" "$API/batch" BENCH_BODY_FILE="$PAYLOAD" BENCH_BATCH="$BATCH" >/dev/null
R0=$(rows)
W4=$(run_wrk "$RUN/4-wrk-batch.txt" "$CLIENTS" "$DURATION" "$API/batch" BENCH_BODY_FILE="$PAYLOAD" BENCH_BATCH="$BATCH")
phase_end; R1=$(rows)
W4_RPS=$(echo "$W4" | kv rps); W4_ROWS=$(calc "$W4_RPS * $BATCH" 1)
W4_P50=$(echo "$W4" | kv p50_ms); W4_P99=$(echo "$W4" | kv p99_ms)
W4_ERR=$(check_http_errors "$W4" "step 4")
W4_DB=$((R1 - R0))
log "  $W4_RPS req/s = $W4_ROWS rows/s, p50 $W4_P50 ms, p99 $W4_P99 ms (table +$W4_DB rows, $W4_ERR failed requests)"

# ---- step 5: JVM RSS during steps 2 and 4 -------------------------------------------------------------------
heap_info() { command -v jcmd >/dev/null && timeout 20 jcmd "$SERVER_PID" GC.heap_info 2>&1 || true; }
{ echo "RSS: $(ps -o rss= -p "$SERVER_PID") kB"; heap_info; } > "$RUN/5-heap-after-step4.txt"
read -r RSS2 _ < <(phase_stat step2)
read -r RSS4 _ < <(phase_stat step4)
RSS_MAX=$(( RSS2 > RSS4 ? RSS2 : RSS4 ))
log "step 5: JVM max RSS: $RSS2 MB in step 2, $RSS4 MB in step 4"

# ---- step 6: load to TARGET_ROWS, then reads ----------------------------------------------------------------
HAVE=$(rows)
phase_begin load
T0=$(now)
if [ "$READ_DATASET" = fresh ]; then
    log "step 6: emptying prompt_log ($HAVE rows from steps 1-4) for a read dataset of $TARGET_ROWS varied rows"
    sql "truncate table prompt_log" >/dev/null
    HAVE=0
fi
NEED=$((TARGET_ROWS - HAVE))
if [ "$NEED" -gt 0 ]; then
    log "step 6: loading $NEED rows with SQL (2 sessions) to reach $TARGET_ROWS"
    LOADER_PIDS=()
    for session in 0 1; do
        "${PSQL[@]}" -v rows="$NEED" -v chunk=25000 -v session=$session -v sessions=2 -v seed=0.$((session + 1))1 \
            -f "$BENCH_DIR/sql/load_rows.sql" > "$RUN/6-load-$session.txt" 2>&1 &
        LOADER_PIDS+=($!)
    done
    LOAD_DEADLINE=$(( $(date +%s) + 900 ))
    for p in "${LOADER_PIDS[@]}"; do
        while kill -0 "$p" 2>/dev/null; do
            [ "$(date +%s)" -lt "$LOAD_DEADLINE" ] || die "loading took more than 900 s"
            sleep 1
        done
        wait "$p" || { cat "$RUN"/6-load-*.txt >&2; die "loading failed"; }
    done
    LOADER_PIDS=()
else
    log "step 6: prompt_log already has $HAVE rows"
fi
LOAD_S=$(calc "$(now) - $T0" 1)
log "  loaded in ${LOAD_S}s; VACUUM ANALYZE prompt_log"
T0=$(now)
timeout 900 "${PSQL[@]}" -c "vacuum analyze prompt_log" -c "checkpoint" > "$RUN/6-vacuum.txt" 2>&1 \
    || { cat "$RUN/6-vacuum.txt" >&2; die "vacuum failed"; }
VACUUM_S=$(calc "$(now) - $T0" 1)
phase_end
TOTAL_ROWS=$(rows)
sql "select pg_size_pretty(pg_table_size('prompt_log')) || ' table, ' || pg_size_pretty(pg_indexes_size('prompt_log'))
     || ' indexes'" > "$RUN/6-table-size.txt"
log "  vacuum in ${VACUUM_S}s; $TOTAL_ROWS rows, $(cat "$RUN/6-table-size.txt")"

# The selective term: the first character name of the first loaded shots row (about 0.03% of loaded rows).
RARE_WORD=$(sql "select lower(substring(prompt from 'CHARACTER: ([A-Z]+)')) from prompt_log
                 where type = 'shots' and project is not null order by seq limit 1")
[ -n "$RARE_WORD" ] || RARE_WORD=mara
{
    echo "rows in prompt_log: $TOTAL_ROWS"
    sql "select 'type ' || type || ': ' || count(*) from prompt_log group by type order by 1"
    sql "select 'distinct projects: ' || count(distinct project) from prompt_log"
    sql "select 'rows of type shots in $READ_PROJECT: ' || count(*) from prompt_log where type = 'shots' and project = '$READ_PROJECT'"
    sql "select 'distinct days: ' || count(distinct occurred_at::date) from prompt_log"
    for w in "$RARE_WORD" "$COMMON_WORD"; do
        sql "select 'rows whose text matches \"$w\" (search @@ $w:*): ' || count(*) from prompt_log where search @@ to_tsquery('simple', '$w:*')"
    done
} > "$RUN/6-dataset.txt"
RARE_N=$(sql "select count(*) from prompt_log where search @@ to_tsquery('simple', '$RARE_WORD:*')")
COMMON_N=$(sql "select count(*) from prompt_log where search @@ to_tsquery('simple', '$COMMON_WORD:*')")

LIST_PATH="/api/v1/prompt-history?type=shots&project=$READ_PROJECT&limit=50"
RARE_PATH="/api/v1/prompt-history?q=$RARE_WORD&limit=50"
COMMON_PATH="/api/v1/prompt-history?q=$COMMON_WORD&limit=50"
STATS_PATH="/api/v1/prompt-history/stats?group_by=day"
for p in "$LIST_PATH" "$RARE_PATH" "$COMMON_PATH"; do
    n=$(curl -sf --max-time 30 -H "$AUTH" "$BASE$p" | jq '.items | length') || die "GET $p failed"
    [ "$n" -gt 0 ] || die "GET $p returned no items"
done

capture_sql() {   # capture_sql NAME REGEX: the server's statement matching REGEX (now, or seen in a warm-up)
    echo "select query from pg_stat_activity where application_name = 'storyboard-server' and query ~* :'re'
          order by query_start desc limit 1" | "${PSQL[@]}" -At -v re="$2" > "$WORK/sql-$1.captured" 2>/dev/null || true
    [ -s "$WORK/sql-$1.captured" ] || grep -Ei -- "$2" "$SEEN_SQL" | tail -1 > "$WORK/sql-$1.captured" || true
}
# During each read warm-up, the statements the server's connections run or last ran, polled every ~2 ms from one
# session: a request may run more than one statement, and once the connections are idle only the last shows.
SEEN_SQL="$WORK/sql-seen.txt"
: > "$SEEN_SQL"
watch_sql() {   # watch_sql SECONDS
    "${PSQL[@]}" -At -v secs="$1" >> "$SEEN_SQL" 2>/dev/null <<'SQL' || true
create temp table seen (q text primary key);
set bench.secs = :secs;
do $watch$
declare
    t_end timestamptz := clock_timestamp() + current_setting('bench.secs')::float8 * interval '1 second';
begin
    while clock_timestamp() < t_end loop
        perform pg_stat_clear_snapshot();
        insert into seen
        select distinct regexp_replace(query, '\s+', ' ', 'g') from pg_stat_activity
         where application_name = 'storyboard-server' and query <> ''
        on conflict do nothing;
        perform pg_sleep(0.002);
    end loop;
end
$watch$;
select q from seen;
SQL
}
read_test() {   # read_test NAME PATH -> the BENCH line
    watch_sql "$READ_WARMUP" & WATCHER_PID=$!
    run_wrk "$RUN/6-wrk-$1-warmup.txt" "$READ_CONNECTIONS" "$READ_WARMUP" "$BASE$2" >/dev/null
    wait "$WATCHER_PID" 2>/dev/null || true; WATCHER_PID=""
    run_wrk "$RUN/6-wrk-$1.txt" "$READ_CONNECTIONS" "$READ_DURATION" "$BASE$2"
}
log "step 6a: GET $LIST_PATH, $READ_CONNECTIONS connections, ${READ_DURATION}s"
phase_begin read-list
RL=$(read_test list "$LIST_PATH"); phase_end
capture_sql list 'from prompt_log where type = \$[0-9]+ and project = \$[0-9]+'
log "step 6b: GET $RARE_PATH ($RARE_N matching rows)"
phase_begin read-search-rare
RR=$(read_test search-rare "$RARE_PATH"); phase_end
capture_sql vocabulary 'from search_word'
log "step 6c: GET $COMMON_PATH ($COMMON_N matching rows)"
phase_begin read-search-common
RC=$(read_test search-common "$COMMON_PATH"); phase_end
capture_sql search 'to_tsquery'
for v in RL RR RC; do check_http_errors "${!v}" "$v" >/dev/null; done

log "step 6d: GET $STATS_PATH x $STATS_REQUESTS, sequential"
phase_begin read-stats
for i in 1 2; do curl -s -o /dev/null --max-time 60 -H "$AUTH" "$BASE$STATS_PATH"; done   # warm-up
for i in $(seq 1 "$STATS_REQUESTS"); do
    curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' -H "$AUTH" "$BASE$STATS_PATH"
done > "$RUN/6-stats-times.txt"
phase_end
capture_sql stats 'count\(\*\).*group by'
curl -s --max-time 60 -H "$AUTH" "$BASE$STATS_PATH" | jq -c '{groups: (.groups | length), totals}' > "$RUN/6-stats-body.txt"
STATS_BAD=$(awk '$1 != 200' "$RUN/6-stats-times.txt" | wc -l)
# p95 by nearest rank; times in ms.
read -r STATS_P50 STATS_P95 STATS_MAX < <(awk '{ print $2 * 1000 }' "$RUN/6-stats-times.txt" | sort -n | awk '
    { v[NR] = $1 } END { i50 = int(NR * 0.50 + 0.999999); i95 = int(NR * 0.95 + 0.999999);
        printf "%.1f %.1f %.1f\n", v[i50], v[i95], v[NR] }')

# ---- query plans of the reads ------------------------------------------------------------------------------
# The SQL is the server's own: the text its pooled connections last ran (pg_stat_activity), taken right after
# each read phase. Its $n parameters get the phase's values, recognised by the text in front of them. If that
# fails, the SQL PromptLogStore ran when this harness was written stands in (and the plan file says so).
log "EXPLAIN ANALYZE of the read queries"
explain() {   # explain NAME SQL_FILE ARGS: 1st execution (custom plan) and 6th (generic if PostgreSQL prefers it)
    {
        echo "-- $1: $(head -c 80 "$2.source" 2>/dev/null)"
        echo "prepare q as $(cat "$2");"
        for i in 1 2 3 4 5 6; do
            if [ "$i" = 1 ] || [ "$i" = 6 ]; then
                echo "\\echo '-- execution $i'"
                echo "explain (analyze, buffers) execute q$3;"
            else
                echo "execute q$3 \\g /dev/null"
            fi
        done
    } > "$WORK/explain-$1.sql"
    "${PSQL[@]}" -f "$WORK/explain-$1.sql" > "$RUN/explain-$1.txt" 2>&1 || log "WARNING: explain $1 failed"
}
sql_lit() { printf "'%s'" "${1//\'/\'\'}"; }
# Values for the $n parameters, by what stands in front of them: B_TYPE, B_PROJECT, B_TS (tsquery), B_LIKE,
# B_PREFIX (a "not like" pattern), B_LIMIT.
bind_args() {   # bind_args SQL_FILE -> "(v1, v2, ...)" for its $1, $2, ... (fails on a parameter it cannot place)
    local text n=1 snippet args=()
    text=$(tr '\n' ' ' < "$1")
    while grep -q "\\\$$n\\b" <<< "$text"; do
        snippet=$(grep -o ".\{0,40\}\\\$$n\\b" <<< "$text" | head -1)
        case "$snippet" in
            *"type = \$$n") args+=("$(sql_lit "$B_TYPE")") ;;
            *"project = \$$n") args+=("$(sql_lit "$B_PROJECT")") ;;
            *"to_tsquery('simple', \$$n") args+=("$(sql_lit "$B_TS")") ;;
            *"not like \$$n") args+=("$(sql_lit "$B_PREFIX")") ;;
            *"like \$$n") args+=("$(sql_lit "$B_LIKE")") ;;
            *"limit \$$n") args+=("$B_LIMIT") ;;
            *) return 1 ;;
        esac
        n=$((n + 1))
    done
    [ "${#args[@]}" = 0 ] && return 0
    local IFS=,
    echo "(${args[*]})"
}
# q=WORD as the server turns it into a tsquery (PromptLogStore.searchQuery): the word as a prefix, or any word
# of the search_word vocabulary containing it. Without that table (older schema): just the prefix.
tsquery_for() {
    if [ "$(sql "select to_regclass('search_word') is not null")" = t ] && [ "${#1}" -ge 3 ]; then
        echo "select '(''' || :'w' || ''':*' || coalesce((select string_agg(' | ''' || word || '''', '')
                from (select word from search_word where word like '%' || :'w' || '%' and word not like :'w' || '%'
                      limit 200) x), '') || ')'" | "${PSQL[@]}" -At -v w="$1"
    else
        echo "$1:*"
    fi
}
plan() {   # plan NAME CAPTURED_NAME FALLBACK_SQL (parameters from the B_* variables)
    local f="$RUN/sql-$1.txt" args
    if [ -s "$WORK/sql-$2.captured" ] && [ "$(wc -c < "$WORK/sql-$2.captured")" -lt 1000 ] \
        && args=$(bind_args "$WORK/sql-$2.captured"); then
        cp "$WORK/sql-$2.captured" "$f"
        echo "the server's own, seen in pg_stat_activity" > "$f.source"
    elif [ -n "$3" ]; then
        echo "$3" > "$f"
        echo "NOT the server's SQL (none captured): a copy of PromptLogStore's SQL at the time bench/run.sh was written" > "$f.source"
        args=$(bind_args "$f") || args=""
    else
        return 0
    fi
    explain "$1" "$f" "$args"
}
SEARCH_FALLBACK="select * from prompt_log where search @@ to_tsquery('simple', \$1) order by occurred_at desc, seq desc limit \$2"
B_LIMIT=51 B_TYPE=shots B_PROJECT=$READ_PROJECT
plan list list "select * from prompt_log where type = \$1 and project = \$2 order by occurred_at desc, seq desc limit \$3"
B_TS=$(tsquery_for "$RARE_WORD") B_LIKE="%$RARE_WORD%" B_PREFIX="$RARE_WORD%" B_LIMIT=51
plan search-rare search "$SEARCH_FALLBACK"
B_LIMIT=200; plan vocabulary-rare vocabulary ""   # the partial-word lookup, with the search_word schema only
B_TS=$(tsquery_for "$COMMON_WORD") B_LIKE="%$COMMON_WORD%" B_PREFIX="$COMMON_WORD%" B_LIMIT=51
plan search-common search "$SEARCH_FALLBACK"
B_LIMIT=200; plan vocabulary-common vocabulary ""
plan stats-day stats "select date_trunc('day', occurred_at at time zone 'UTC') as key, count(*) as count,
    coalesce(sum(tokens), 0) as tokens, coalesce(sum(cost), 0) as cost, coalesce(sum(processing_ms), 0) as processing_sum,
    count(processing_ms) as processing_count from prompt_log where true group by 1"

{ echo "RSS: $(ps -o rss= -p "$SERVER_PID") kB"; heap_info; } > "$RUN/5-heap-at-end.txt"
RSS_RUN_MAX=$(awk '$2 > m { m = $2 } END { printf "%.0f", m / 1024 }' "$SAMPLES")

# ---- server log summary -------------------------------------------------------------------------------------
{
    echo "lines: $(wc -l < "$SERVER_LOG")"
    echo "WARN/ERROR lines: $(grep -c -E ' (WARN|ERROR) ' "$SERVER_LOG" || true)"
    grep -E ' (WARN|ERROR) ' "$SERVER_LOG" | head -50 || true
} > "$RUN/server-log-summary.txt"

# ---- summary ------------------------------------------------------------------------------------------------
verdict() { [ "$(calc "$1" 0)" = 1 ] && echo PASS || echo FAIL; }   # verdict "EXPR" (awk boolean)
W2_NEED=$(calc "$PG1_ROWS * $TARGET_SINGLE_RATIO" 1)
W4_NEED=$(calc "$PG3_ROWS * $TARGET_BATCH_RATIO" 1)
V_W2=$(verdict "$W2_RPS >= $W2_NEED")
V_W2P=$(verdict "$W2_P99 <= $TARGET_SINGLE_P99_MS")
V_W4=$(verdict "$W4_ROWS >= $W4_NEED")
V_RSS=$(verdict "$RSS_MAX <= $TARGET_RSS_MB")
RL_P95=$(echo "$RL" | kv p95_ms); RR_P95=$(echo "$RR" | kv p95_ms); RC_P95=$(echo "$RC" | kv p95_ms)
V_RL=$(verdict "$RL_P95 <= $TARGET_LIST_P95_MS")
V_RR=$(verdict "$RR_P95 <= $TARGET_SEARCH_P95_MS")
V_RC=$(verdict "$RC_P95 <= $TARGET_SEARCH_P95_MS")
V_ST=$(verdict "$STATS_P95 <= $TARGET_STATS_MS && $STATS_BAD == 0")
V_STMAX=$(verdict "$STATS_MAX <= $TARGET_STATS_MS")
[ "$W2_ERR" = 0 ] || V_W2=FAIL
[ "$W4_ERR" = 0 ] || V_W4=FAIL
PASSES=0; FAILS=0
for v in "$V_W2" "$V_W2P" "$V_W4" "$V_RSS" "$V_RL" "$V_RR" "$V_RC" "$V_ST"; do
    if [ "$v" = PASS ]; then PASSES=$((PASSES + 1)); else FAILS=$((FAILS + 1)); fi
done
f1() { calc "$1" 1; }
ms() { echo "$1" | kv "$2"; }
phase_row() {   # phase_row NAME LABEL
    local rss jc pc mc oc busy line
    read -r rss jc pc mc oc busy < <(phase_stat "$1")
    line=$(grep "^$1 " "$PHASES" | tail -1)
    echo "| $2 | $(echo "$line" | awk '{ printf "%.0f", $3 - $2 }') | $rss | $jc | $pc | $mc | $oc | $busy |"\
         "$(echo "$line" | awk '{ printf "%.0f | %d | %d / %d ms", $4 / 1048576, $5, $6, $7 }') |"
}
RUN_S=$(calc "$(now) - $RUN_START" 0)
INTERFERENCE=""
for ph in step1 step2 step3 step4 read-list read-search-rare read-search-common read-stats; do
    read -r _ _ _ _ oc _ < <(phase_stat "$ph") || true
    if [ "$oc" != "-" ] && [ "$(calc "${oc:-0} > 0.10" 0)" = 1 ]; then INTERFERENCE="${INTERFERENCE:+$INTERFERENCE, }$ph: $oc"; fi
done
{
    echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "busiest processes at end:"
    ps -eo pid,pcpu,rss,etime,args --sort=-pcpu | head -8 | cut -c1-160
} >> "$RUN/environment.txt"

{
    echo "# Storyboard Server benchmark: $STAMP"
    echo
    echo "$PASSES of $((PASSES + FAILS)) targets pass. Raw outputs: [results/$STAMP/]($STAMP/). Run took ${RUN_S}s."
    echo
    if [ -n "$INTERFERENCE" ]; then
        echo "**Warning: other processes on the machine used CPU during the measurements ($INTERFERENCE cores on"
        echo "average); the figures are skewed. See \"Where the CPU went\" and environment.txt.**"
        echo
    fi
    echo "| # | Measurement | Figure | Target | Result |"
    echo "|---|---|---|---|---|"
    echo "| 1 | pgbench, 1 row per transaction, $CLIENTS clients | **$(f1 "$PG1_ROWS") rows/s** | baseline | |"
    echo "| 2 | POST /prompt-history, $CLIENTS connections | **$(f1 "$W2_RPS") rows/s** (= req/s; table +$W2_DB rows, $W2_ERR failed) | >= ${TARGET_SINGLE_RATIO}x step 1 = $W2_NEED rows/s | $V_W2 |"
    echo "| 2 | POST /prompt-history latency | p50 $(ms "$W2" p50_ms) ms, p90 $(ms "$W2" p90_ms) ms, **p99 $W2_P99 ms**, max $(ms "$W2" max_ms) ms | p99 <= $TARGET_SINGLE_P99_MS ms | $V_W2P |"
    echo "| 3 | pgbench, $BATCH rows per transaction (one INSERT), $CLIENTS clients | **$(f1 "$PG3_ROWS") rows/s** ($PG3_TPS tps) | baseline | |"
    echo "| 4 | POST /prompt-history/batch, $BATCH items, $CLIENTS connections | **$(f1 "$W4_ROWS") rows/s** ($(f1 "$W4_RPS") req/s; table +$W4_DB rows, $W4_ERR failed; p50 $W4_P50 ms, p99 $W4_P99 ms) | >= ${TARGET_BATCH_RATIO}x step 3 = $W4_NEED rows/s | $V_W4 |"
    echo "| 5 | JVM RSS, max during steps 2 and 4 | **$RSS_MAX MB** (step 2: $RSS2 MB, step 4: $RSS4 MB; whole run incl. reads: $RSS_RUN_MAX MB) | <= $TARGET_RSS_MB MB | $V_RSS |"
    echo "| 6a | GET type=shots&project=$READ_PROJECT&limit=50, $READ_CONNECTIONS connections | **p95 $RL_P95 ms** (p50 $(ms "$RL" p50_ms), p99 $(ms "$RL" p99_ms), max $(ms "$RL" max_ms); $(f1 "$(ms "$RL" rps)") req/s) | p95 <= $TARGET_LIST_P95_MS ms | $V_RL |"
    echo "| 6b | GET q=$RARE_WORD&limit=50 (selective: $RARE_N rows match) | **p95 $RR_P95 ms** (p50 $(ms "$RR" p50_ms), p99 $(ms "$RR" p99_ms), max $(ms "$RR" max_ms); $(f1 "$(ms "$RR" rps)") req/s) | p95 <= $TARGET_SEARCH_P95_MS ms | $V_RR |"
    echo "| 6c | GET q=$COMMON_WORD&limit=50 (common: $COMMON_N rows match) | **p95 $RC_P95 ms** (p50 $(ms "$RC" p50_ms), p99 $(ms "$RC" p99_ms), max $(ms "$RC" max_ms); $(f1 "$(ms "$RC" rps)") req/s) | p95 <= $TARGET_SEARCH_P95_MS ms | $V_RC |"
    echo "| 6d | GET stats?group_by=day over $TOTAL_ROWS rows, $STATS_REQUESTS sequential | **p95 $STATS_P95 ms**, max $STATS_MAX ms (p50 $STATS_P50 ms) | <= $TARGET_STATS_MS ms (p95; max: $V_STMAX) | $V_ST |"
    echo
    echo "## Where the CPU went"
    echo
    echo "$NCPU cores; figures are cores busy on average (1.00 = one core) over each phase, sampled every second."
    echo
    echo "| Phase | Seconds | JVM max RSS (MB) | JVM cores | PostgreSQL cores | Load generators cores | Other processes cores | Machine busy % | WAL (MB) | Checkpoints | JVM GC pauses |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    phase_row step1 "1 pgbench 1 row"
    phase_row step2 "2 POST single (incl. warm-up)"
    phase_row step3 "3 pgbench $BATCH rows"
    phase_row step4 "4 POST batch (incl. warm-up)"
    phase_row load "6 load + vacuum"
    phase_row read-list "6a list"
    phase_row read-search-rare "6b search (selective)"
    phase_row read-search-common "6c search (common)"
    phase_row read-stats "6d stats"
    echo
    echo "Load generators: wrk, pgbench, psql and the rest of this harness, on the same $NCPU cores. Other processes:"
    echo "everything else on the machine (anything above ~0.05 skews the figures). Checkpoints (max_wal_size 1 GB)"
    echo "land in whichever step is running; expect differences of several percent between runs."
    echo
    echo "## Setup"
    echo
    echo "- Server: \`$(cat "$RUN/server-command.txt")\`, $( [ -n "$JAVA_OPTS" ] && echo "JVM flags: $JAVA_OPTS" || echo "JVM defaults (no heap flags)" ); started in ${STARTUP_S}s."
    echo "- Embedded $(cut -d, -f1 "$RUN/postgres-version.txt"): $(paste -sd ';' "$RUN/postgres-settings.txt" | sed 's/;/, /g')."
    echo "- Payload: $(basename "$PAYLOAD") ($(stat -c %s "$PAYLOAD") bytes). pgbench inserts the same column values the server stores for it (scripts in the raw folder)."
    echo "- HTTP steps: ${WARMUP}s unrecorded warm-up, then ${DURATION}s with wrk -t$THREADS -c$CLIENTS; reads: ${READ_WARMUP}s + ${READ_DURATION}s, -c$READ_CONNECTIONS. p95 comes from wrk's latency:percentile(95)."
    echo "- Rows before step 1: $ROWS_BEFORE; read dataset: $READ_DATASET ($( [ "$READ_DATASET" = fresh ] && echo "steps 1-4's rows removed with TRUNCATE" || echo "steps 1-4's $HAVE rows kept" )); loaded $(( NEED > 0 ? NEED : 0 )) rows in ${LOAD_S}s (2 psql sessions, bench/sql/load_rows.sql), VACUUM ANALYZE + CHECKPOINT ${VACUUM_S}s; $(cat "$RUN/6-table-size.txt")."
    echo "- Dataset: $(grep -v '^rows in' "$RUN/6-dataset.txt" | paste -sd ';' | sed 's/;/; /g')."
    echo "- $(grep '^jar: ' "$RUN/environment.txt")."
    echo "- $(grep '^load average at start' "$RUN/environment.txt"), $(grep '^load average at end' "$RUN/environment.txt" | sed 's/^load average //'); java: $(sed -n 's/^java: //p' "$RUN/environment.txt"); $(sed -n 's/^JVM ergonomics/JVM ergonomics/p' "$RUN/environment.txt")."
    echo "- Server log: $(head -1 "$RUN/server-log-summary.txt"), $(sed -n 2p "$RUN/server-log-summary.txt")."
    echo
    echo "## Query plans"
    echo
    echo "Each read's SQL, prepared like the JDBC driver does (server-side after 5 uses), executed 6 times; the 6th"
    echo "execution's plan is the one a pooled connection settles on. Full output (1st and 6th) in the raw folder."
    for e in list search-rare vocabulary-rare search-common vocabulary-common stats-day; do
        [ -f "$RUN/explain-$e.txt" ] || continue
        echo
        echo "### $e (6th execution)"
        echo
        echo "SQL: $(cat "$RUN/sql-$e.txt.source"); parameters: $(sed -n 's/^explain (analyze, buffers) execute q//p' "$WORK/explain-$e.sql" | head -1 | sed -e 's/;$//' -e 's/^$/none/' -e 's/^(.*)$/`&`/')"
        echo
        echo '```'
        awk '/^-- execution 6/ { p = 1; next } p' "$RUN/explain-$e.txt"
        echo '```'
    done
} > "$RUN/summary.md"
cp "$RUN/summary.md" "$RESULTS_DIR/latest.md"
sed -i "s#\[results/$STAMP/\]($STAMP/)#[results/$STAMP/](./)#" "$RUN/summary.md"
log "done in ${RUN_S}s: $PASSES pass, $FAILS fail; summary in $RESULTS_DIR/latest.md"
cat "$RESULTS_DIR/latest.md" | sed -n '1,20p' >&2
