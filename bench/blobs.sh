#!/usr/bin/env bash
# Blob throughput benchmark: PUT and GET of a SIZE_MB file (default 1024 = 1 GiB) on loopback with curl, against
# what dd writes (conv=fsync) and reads of the same size on the same disk in the same run; ROUNDS (default 3)
# rounds of all four, each with its own file, compared by their medians (dd's rate on this VM varies several-fold
# from one run to the next). The server's heap and RSS are sampled throughout (it runs with -Xmx256m, so a buffered
# body could not fit). Then a resumable (tus) upload of RESUME_MB (default 2048 = 2 GiB) cut after about 40% and
# resumed from the offset the server reports.
#
#   bench/blobs.sh                          build the jar from this repository, then benchmark it
#   JAR=/path/storyboard-server.jar SIZE_MB=256 RESUME_MB=512 ROUNDS=1 bench/blobs.sh
#
# Writes bench/results/blobs-latest.md (and a copy with the raw figures under bench/results/blobs-<stamp>/).
# The work directory (WORK_DIR, default under /tmp) must be on the disk being measured.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
JAR=${JAR:-}
SIZE_MB=${SIZE_MB:-1024}
RESUME_MB=${RESUME_MB:-2048}
ROUNDS=${ROUNDS:-3}

source "$BENCH_DIR/lib.sh"
JAVA_OPTS=${JAVA_OPTS-$LAUNCHER_JVM_OPTS}   # the launcher's JVM flags, unless given (JAVA_OPTS= for none)
now() { date +%s.%N; }
rate() { awk -v mb="$1" -v s="$2" 'BEGIN { printf "%.0f", mb / s }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

SERVER_PID=""
SAMPLER_PID=""
WORK=$(mktemp -d "${WORK_DIR:-/tmp}/sbs-blobs-bench.XXXXXX")
cleanup() {
    local rc=$?
    set +e
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
    stop_server "$SERVER_PID"
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

ensure_jar
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN="$BENCH_DIR/results/blobs-$STAMP"
mkdir -p "$RUN"

log "making $ROUNDS files of ${SIZE_MB} MiB of random bytes"
SHAS=()
for r in $(seq 1 "$ROUNDS"); do
    head -c "${SIZE_MB}M" /dev/urandom > "$WORK/src-$r.bin"
    SHAS[$r]=$(sha256sum "$WORK/src-$r.bin" | cut -d' ' -f1)
done
# Reads are cold for both: before each, the page cache is dropped (as root: /proc/sys/vm/drop_caches; otherwise
# the file's clean pages with dd's iflag=nocache, posix_fadvise DONTNEED). In a VM the host may still cache.
drop_cache() {
    sync
    if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches
    else dd if="$1" iflag=nocache count=0 status=none; fi
}

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
log "starting the server on port $PORT"
(cd "$WORK" && exec env -u DATABASE_URL -u LOG_FILE -u JAVA_TOOL_OPTIONS AUTH_TOKEN="$TOKEN" RATE_LIMIT=0 \
    RATE_LIMIT_INGEST=0 java $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data") \
    > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz" || { tail -20 "$WORK/server.log" >&2; die "server not ready"; }
JPID=$(pgrep -P "$SERVER_PID" java || echo "$SERVER_PID")
AUTH="Authorization: Bearer $TOKEN"
BASE="http://127.0.0.1:$PORT"

# Heap used (KiB, from jstat: survivor + eden + old) and RSS (KiB) every 0.25 s, tagged with the phase. One jstat
# process samples continuously: starting a JVM per sample would itself take a core away from the server.
echo idle > "$WORK/phase"
( jstat -gc "$JPID" 250 2>/dev/null | awk -v phasefile="$WORK/phase" -v status="/proc/$JPID/status" '
      $1 == "S0C" { next }
      { heap = $3 + $4 + $6 + $8
        ph = "idle"; getline ph < phasefile; close(phasefile)
        rss = 0
        while ((getline line < status) > 0) if (line ~ /^VmRSS/) { split(line, f, " "); rss = f[2] }
        close(status)
        printf "%s %.0f %s\n", ph, heap, rss; fflush() }' ) > "$RUN/memory.txt" 2>/dev/null &
SAMPLER_PID=$!
sleep 2

log "warm-up: 64 MiB PUT and GET"
head -c 64M /dev/urandom > "$WORK/warm.bin"
WSHA=$(sha256sum "$WORK/warm.bin" | cut -d' ' -f1)
curl -sS -f -o /dev/null -H "$AUTH" -H "Expect:" -T "$WORK/warm.bin" "$BASE/api/v1/blobs/$WSHA"
curl -sS -f -o /dev/null -H "$AUTH" "$BASE/api/v1/blobs/$WSHA"
rm -f "$WORK/warm.bin"

# Warm-up (as in the other harnesses): the JIT compiles the upload and download paths on 128 MiB of other bytes,
# not during the measured transfers.
head -c $((128 * 1024 * 1024)) /dev/urandom > "$WORK/warm.bin"
WARM_SHA=$(sha256sum "$WORK/warm.bin" | cut -d' ' -f1)
for _ in 1 2; do
    curl -sS -o /dev/null -H "$AUTH" -H "Expect:" -H "Content-Type: application/octet-stream" -T "$WORK/warm.bin" \
        "$BASE/api/v1/blobs/$WARM_SHA"
    curl -sS -o /dev/null -H "$AUTH" "$BASE/api/v1/blobs/$WARM_SHA"
done
rm -f "$WORK/warm.bin"

# Waits until the server has used under 5% of a core for a second: the MD5 of a blob over 64 MiB is computed in the
# background after its upload, and would otherwise share the cores with the next measurement.
server_cpu() { awk '{ print $14 + $15 }' "/proc/$JPID/stat"; }
machine_busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
wait_idle() {
    local hz a b
    hz=$(getconf CLK_TCK)
    for _ in $(seq 1 60); do
        a=$(server_cpu); sleep 1; b=$(server_cpu)
        [ $(( (b - a) * 100 )) -lt $((hz * 5)) ] && return 0
    done
    log "the server did not become idle"
}

# Each round: dd writes the round's file (conv=fsync) and reads it back cold; the server receives it (PUT) and
# serves it back cold (GET). Each round has its own file (the server stores a blob once).
DD_W_S=(); DD_R_S=(); PUT_SS=(); GET_SS=()
for r in $(seq 1 "$ROUNDS"); do
    SHA=${SHAS[$r]}
    log "round $r of $ROUNDS: dd write and read, PUT and GET of ${SIZE_MB} MiB"
    echo idle > "$WORK/phase"
    sync   # nothing of making the files or of the previous round is still being written back
    # The source file is read from the page cache by both dd and curl (dropping the caches for the cold reads
    # drops it too): what is measured is writing to this disk, not reading from it.
    cat "$WORK/src-$r.bin" > /dev/null
    T0=$(now); dd if="$WORK/src-$r.bin" of="$WORK/dd-out.bin" bs=1M conv=fsync status=none; T1=$(now)
    DD_W_S[$r]=$(secs "$T0" "$T1")
    drop_cache "$WORK/dd-out.bin"
    T0=$(now); dd if="$WORK/dd-out.bin" of=/dev/null bs=1M status=none; T1=$(now)
    DD_R_S[$r]=$(secs "$T0" "$T1")
    rm -f "$WORK/dd-out.bin"

    sync
    cat "$WORK/src-$r.bin" > /dev/null
    wait_idle
    echo upload > "$WORK/phase"
    M0=$(machine_busy); S0=$(server_cpu)
    PUT_OUT=$(curl -sS -o "$RUN/put-$r.json" -w '%{http_code} %{time_total}' -H "$AUTH" -H "Expect:" \
        -H "Content-Type: application/octet-stream" -T "$WORK/src-$r.bin" "$BASE/api/v1/blobs/$SHA")
    M1=$(machine_busy); S1=$(server_cpu)
    read -r PUT_CODE PUT_S <<< "$PUT_OUT"
    [ "$PUT_CODE" = 201 ] || die "PUT answered $PUT_CODE: $(cat "$RUN/put-$r.json")"
    PUT_SS[$r]=$PUT_S

    BLOB_FILE="$WORK/data/blobs/${SHA:0:2}/${SHA:2:2}/$SHA"
    [ -f "$BLOB_FILE" ] || die "no blob file at $BLOB_FILE"
    echo idle > "$WORK/phase"
    wait_idle
    drop_cache "$BLOB_FILE"
    echo download > "$WORK/phase"
    GET_OUT=$(curl -sS -o /dev/null -w '%{http_code} %{time_total} %{size_download}' -H "$AUTH" "$BASE/api/v1/blobs/$SHA")
    read -r GET_CODE GET_S GET_BYTES <<< "$GET_OUT"
    [ "$GET_CODE" = 200 ] || die "GET answered $GET_CODE"
    [ "$GET_BYTES" = $((SIZE_MB * 1024 * 1024)) ] || die "GET returned $GET_BYTES bytes"
    GET_SS[$r]=$GET_S
    echo idle > "$WORK/phase"
    GOT_SHA=$(curl -sS -H "$AUTH" "$BASE/api/v1/blobs/$SHA" | sha256sum | cut -d' ' -f1)
    [ "$GOT_SHA" = "$SHA" ] || die "GET returned other bytes"
    # CPU seconds during the PUT: the server's, and the rest of the machine's (curl, and anything else running).
    HZ=$(getconf CLK_TCK)
    printf '%s %s %s %s %s %s %s\n' "$r" "${DD_W_S[$r]}" "$PUT_S" "${DD_R_S[$r]}" "$GET_S" \
        "$(awk -v t=$((S1 - S0)) -v hz="$HZ" 'BEGIN { print t / hz }')" \
        "$(awk -v t=$(( (M1 - M0) - (S1 - S0) )) -v hz="$HZ" 'BEGIN { print t / hz }')" >> "$RUN/rounds.txt"
    rm -f "$WORK/src-$r.bin"
done

log "resumable upload of ${RESUME_MB} MiB, cut after about 40%, then resumed"
echo resume > "$WORK/phase"
head -c "${RESUME_MB}M" /dev/urandom > "$WORK/big.bin"
BIG_SHA=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)
BIG_LEN=$((RESUME_MB * 1024 * 1024))
LOCATION=$(curl -sS -D - -o /dev/null -X POST -H "$AUTH" -H "Tus-Resumable: 1.0.0" -H "Upload-Length: $BIG_LEN" \
    -H "Upload-Metadata: sha256 $(printf %s "$BIG_SHA" | base64 -w0)" "$BASE/api/v1/uploads" \
    | awk -F': ' 'tolower($1) == "location" { print $2 }' | tr -d '\r')
[ -n "$LOCATION" ] || die "no upload was created"
CUT=$((BIG_LEN * 2 / 5))
# The first PATCH sends the whole file; once the server holds about 40% durably (it checkpoints every 64 MiB), the
# client is killed: the connection drops mid-body.
curl -sS -o /dev/null -X PATCH -H "$AUTH" -H "Tus-Resumable: 1.0.0" -H "Upload-Offset: 0" \
    -H "Content-Type: application/offset+octet-stream" -H "Expect:" -T "$WORK/big.bin" "$BASE$LOCATION" 2>/dev/null &
CURL_PID=$!
head_offset() {
    curl -sS -I -H "$AUTH" -H "Tus-Resumable: 1.0.0" "$BASE$LOCATION" \
        | awk -F': ' 'tolower($1) == "upload-offset" { print $2 }' | tr -d '\r'
}
for _ in $(seq 1 1200); do [ "$(head_offset)" -ge "$CUT" ] && break; sleep 0.05; done
kill -KILL "$CURL_PID" 2>/dev/null || true
wait "$CURL_PID" 2>/dev/null || true
sleep 1
OFFSET=$(head_offset)
log "the connection was cut; the server holds $OFFSET of $BIG_LEN bytes"
tail -c +$((OFFSET + 1)) "$WORK/big.bin" > "$WORK/rest.bin"
T0=$(now)
RESUMED=$(curl -sS -D - -o /dev/null -X PATCH -H "$AUTH" -H "Tus-Resumable: 1.0.0" -H "Upload-Offset: $OFFSET" \
    -H "Content-Type: application/offset+octet-stream" -H "Expect:" -T "$WORK/rest.bin" "$BASE$LOCATION")
T1=$(now)
RESUME_S=$(awk -v a="$T0" -v b="$T1" 'BEGIN { print b - a }')
DONE_SHA=$(echo "$RESUMED" | awk -F': ' 'tolower($1) == "upload-sha256" { print $2 }' | tr -d '\r')
RESUME_OK=$([ "$DONE_SHA" = "$BIG_SHA" ] && [ "$OFFSET" -gt 0 ] && echo PASS || echo FAIL)
echo done > "$WORK/phase"
sleep 1
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

DD_WRITE_S=$(median "${DD_W_S[@]}"); DD_READ_S=$(median "${DD_R_S[@]}")
PUT_S=$(median "${PUT_SS[@]}"); GET_S=$(median "${GET_SS[@]}")
DD_W=$(rate "$SIZE_MB" "$DD_WRITE_S"); DD_R=$(rate "$SIZE_MB" "$DD_READ_S")
PUT_R=$(rate "$SIZE_MB" "$PUT_S"); GET_R=$(rate "$SIZE_MB" "$GET_S")
PUT_X=$(awk -v a="$PUT_R" -v b="$DD_W" 'BEGIN { printf "%.2f", a / b }')
GET_X=$(awk -v a="$GET_R" -v b="$DD_R" 'BEGIN { printf "%.2f", a / b }')
V_PUT=$(awk -v x="$PUT_X" 'BEGIN { print (x >= 0.5) ? "PASS" : "FAIL" }')
V_GET=$(awk -v x="$GET_X" 'BEGIN { print (x >= 0.5) ? "PASS" : "FAIL" }')
ROUND_ROWS=$(awk -v mb="$SIZE_MB" '{ printf "| %d | %.0f | %.0f | %.2f | %.1f s / %.1f s | %.0f | %.0f | %.2f |\n", $1, mb / $2, mb / $3, $2 / $3, $6, $7, mb / $4, mb / $5, $4 / $5 }' "$RUN/rounds.txt")
mem() { awk -v p="$1" -v c="$2" '$1 == p && $c > m { m = $c } END { printf "%.0f", m / 1024 }' "$RUN/memory.txt"; }
HEAP_IDLE=$(mem idle 2); HEAP_UP=$(mem upload 2); HEAP_DOWN=$(mem download 2); HEAP_RES=$(mem resume 2)
RSS_IDLE=$(mem idle 3); RSS_UP=$(mem upload 3); RSS_DOWN=$(mem download 3); RSS_RES=$(mem resume 3)
grep -E 'WARN|ERROR' "$WORK/server.log" | head -50 > "$RUN/server-warnings.txt" || true

cat > "$BENCH_DIR/results/blobs-latest.md" <<MD
# Blob throughput benchmark: $STAMP

${ROUNDS} rounds, each with its own ${SIZE_MB} MiB file of random bytes, on this machine ($(nproc) cores), loopback, one
client (curl), in one run. In each round dd writes the file with \`bs=1M conv=fsync\` (the server also fsyncs before
answering) and reads it back to /dev/null; curl PUTs it (\`-T\`, no \`Expect\`) and GETs it to /dev/null. The file is
in the page cache when dd and curl read it to send it (it is read once right before each). Both measured reads
are cold: dd's file and the blob's file are dropped from the page cache first (\`/proc/sys/vm/drop_caches\` as
root, else \`dd iflag=nocache count=0\`; a VM's host may still cache the disk). The server is left idle (under 5%
of a core for a second) before its PUT and its GET: for a blob over 64 MiB it computes the MD5 in the background
after the upload. The verdicts compare the medians of the rounds. Raw samples: [blobs-$STAMP/](blobs-$STAMP/).

| Measurement (median of ${ROUNDS}) | dd | server | ratio | target | result |
|---|---|---|---|---|---|
| Upload (PUT: SHA-256 verified, fsynced, renamed; MD5 after) | write ${DD_W} MiB/s ($(printf "%.2f" "$DD_WRITE_S") s) | ${PUT_R} MiB/s ($(printf "%.2f" "$PUT_S") s) | ${PUT_X} | >= 0.5 | $V_PUT |
| Download (GET) | read ${DD_R} MiB/s ($(printf "%.2f" "$DD_READ_S") s) | ${GET_R} MiB/s ($(printf "%.2f" "$GET_S") s) | ${GET_X} | >= 0.5 | $V_GET |

Every round (MiB/s). The machine has $(nproc) cores; the upload is bound by CPU (receiving, SHA-256 and copies take
about 1.2 s of CPU per GiB), so when the rest of the machine takes more than curl's few tenths of a second (other
processes running), the PUT slows down with it:

| Round | dd write | PUT | PUT / dd | CPU during the PUT: server / rest of the machine | dd read | GET | GET / dd |
|---|---|---|---|---|---|---|---|
${ROUND_ROWS}

Server memory (\`java $JAVA_OPTS\`; heap used from \`jstat -gc\`, resident set from /proc, maxima per phase, every 0.25 s):

| Phase | heap used max | RSS max |
|---|---|---|
| idle, after start | ${HEAP_IDLE} MiB | ${RSS_IDLE} MiB |
| ${SIZE_MB} MiB uploads | ${HEAP_UP} MiB | ${RSS_UP} MiB |
| ${SIZE_MB} MiB downloads | ${HEAP_DOWN} MiB | ${RSS_DOWN} MiB |
| ${RESUME_MB} MiB resumable upload | ${HEAP_RES} MiB | ${RSS_RES} MiB |

The heap stays within the same bounds whatever the size (uploads stream through a few 1 MiB chunks, off the heap and
pooled; downloads through a 256 KiB buffer; a 1 GiB body could not even fit in the 256 MiB maximum heap).

Resumable upload (tus 1.0): ${RESUME_MB} MiB; the first PATCH sent the whole file and its client was killed once the
server held at least 40% ($CUT bytes); HEAD then reported Upload-Offset $OFFSET; a second PATCH from there sent the rest in
$(printf "%.1f" "$RESUME_S") s and the answer's Upload-Sha256 matched the file's: **$RESUME_OK**.

Server: \`java $JAVA_OPTS -jar $(basename "$JAR")\` on its embedded PostgreSQL, data directory under ${WORK_DIR:-/tmp}
($(df -h "$WORK" | awk 'NR==2 { print $1 }')). java: $(java -version 2>&1 | head -1). curl: $(curl --version | head -1 | cut -d' ' -f1-2).
MD
cp "$BENCH_DIR/results/blobs-latest.md" "$RUN/summary.md"
log "summary: $BENCH_DIR/results/blobs-latest.md"
cat "$BENCH_DIR/results/blobs-latest.md"
