#!/usr/bin/env bash
# Project import, export and delta push, against the machine's own limit for the same bytes.
#
# A generated B-Line project of SCENES x SHOTS x PANELS (default 50 x 20 x 4: 4,000 panels, each with a PNG
# thumbnail; storyboard.projects.GeneratedProject, the tests' generator) is
#   - imported: its zip POSTed to /api/v1/projects/import (curl, loopback), until the 201 (every file durable);
#   - exported: GET /api/v1/projects/{id}/export into a file, then checked file for file against the folder;
# and both are compared with the reference measured in the same run on the same disk: `sha256sum` of every file
# plus `cp -r` of the folder and `sync -f` (the copy made durable, as a 201 promises). ROUNDS (default 3) rounds, a
# different project each (the same bytes twice would be stored once), compared by their medians.
# Then a delta push: `project push` of a folder, one panel changed (its thumbnail and its scene file), pushed again
# with the command line: the bytes sent and the time, against re-importing the whole project.
#
#   bench/projects.sh                    build the jar from this repository, then benchmark it
#   JAR=/path/storyboard-server.jar SCENES=10 ROUNDS=1 bench/projects.sh
#
# Writes bench/results/projects-latest.md (and a copy with the raw figures under bench/results/projects-<stamp>/).
# The work directory (WORK_DIR, default under /tmp) must be on the disk being measured.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
JAR=${JAR:-}
SCENES=${SCENES:-50}
SHOTS=${SHOTS:-20}
PANELS=${PANELS:-4}
ROUNDS=${ROUNDS:-3}

source "$BENCH_DIR/lib.sh"
JAVA_OPTS=${JAVA_OPTS-$LAUNCHER_JVM_OPTS}
for tool in java curl zip unzip sha256sum python3; do command -v "$tool" >/dev/null || die "$tool is required"; done
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

SERVER_PID=""
WORK=$(mktemp -d "${WORK_DIR:-/tmp}/sbs-projects-bench.XXXXXX")
cleanup() {
    local rc=$?
    set +e
    stop_server "$SERVER_PID"
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

ensure_jar
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN="$BENCH_DIR/results/projects-$STAMP"
mkdir -p "$RUN"

log "test classes and classpath for the generator"
(cd "$REPO_DIR" && ./mvnw -q -B test-compile && ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/cp.txt") || die "could not build the test classes"
CP="$REPO_DIR/target/test-classes:$REPO_DIR/target/classes:$(cat "$WORK/cp.txt")"

for r in $(seq 1 "$ROUNDS"); do
    log "generating project Bench$r: $SCENES scenes x $SHOTS shots x $PANELS panels"
    java -cp "$CP" storyboard.projects.GeneratedProject "$WORK/src/Bench$r" "Bench$r" "$SCENES" "$SHOTS" "$PANELS"
    (cd "$WORK/src/Bench$r" && zip -q -r -D "$WORK/Bench$r.zip" .)
done
FILES=$(find "$WORK/src/Bench1" -type f | wc -l)
BYTES=$(du -sb --apparent-size "$WORK/src/Bench1" | cut -f1)
ZIP_BYTES=$(stat -c %s "$WORK/Bench1.zip")
log "each project: $FILES files, $BYTES bytes (zip $ZIP_BYTES bytes)"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
log "starting the server on port $PORT"
(cd "$WORK" && exec env -u DATABASE_URL -u LOG_FILE -u JAVA_TOOL_OPTIONS AUTH_TOKEN="$TOKEN" RATE_LIMIT=0 \
    RATE_LIMIT_INGEST=0 java $JAVA_OPTS -jar "$JAR" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data") \
    > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz" || { tail -20 "$WORK/server.log" >&2; die "server not ready"; }
AUTH="Authorization: Bearer $TOKEN"
BASE="http://127.0.0.1:$PORT"

# The server's code is compiled as it runs: one smaller import and export first, not measured (as any server that
# has been up a while).
log "warming up: importing and exporting a 5-scene project"
java -cp "$CP" storyboard.projects.GeneratedProject "$WORK/src/Warmup" Warmup 5 "$SHOTS" "$PANELS"
(cd "$WORK/src/Warmup" && zip -q -r -D "$WORK/Warmup.zip" .)
curl -sf -o "$WORK/warmup.json" -H "$AUTH" -H 'Content-Type: application/zip' --data-binary "@$WORK/Warmup.zip" \
    "$BASE/api/v1/projects/import" || die "the warm-up import failed"
curl -sf -o /dev/null -H "$AUTH" \
    "$BASE/api/v1/projects/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/warmup.json")/export"

REF=(); DUR=(); IMP=(); EXP=()
# Each timed step starts with nothing dirty on the disk (sync, not timed): a step's own flush must not pay for
# the writes of the steps before it (the generated folders, the previous round).
for r in $(seq 1 "$ROUNDS"); do
    src="$WORK/src/Bench$r"
    sync
    t0=$(now)
    find "$src" -type f -print0 | xargs -0 sha256sum > /dev/null
    cp -r "$src" "$WORK/copy$r"
    sync -f "$WORK/copy$r"
    t1=$(now)
    REF+=("$(secs "$t0" "$t1")")

    sync
    t0=$(now)
    python3 "$BENCH_DIR/projects/durable_copy.py" "$src" "$WORK/durable$r"
    t1=$(now)
    DUR+=("$(secs "$t0" "$t1")")
    rm -rf "$WORK/durable$r"

    sync
    t0=$(now)
    status=$(curl -s -o "$WORK/import$r.json" -w '%{http_code}' -H "$AUTH" -H 'Content-Type: application/zip' \
        --data-binary "@$WORK/Bench$r.zip" "$BASE/api/v1/projects/import")
    t1=$(now)
    [ "$status" = 201 ] || { cat "$WORK/import$r.json" >&2; die "import answered $status"; }
    IMP+=("$(secs "$t0" "$t1")")
    id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/import$r.json")

    t0=$(now)
    curl -sf -H "$AUTH" -o "$WORK/export$r.zip" "$BASE/api/v1/projects/$id/export"
    t1=$(now)
    EXP+=("$(secs "$t0" "$t1")")
    mkdir -p "$WORK/unzipped$r"
    unzip -q "$WORK/export$r.zip" -d "$WORK/unzipped$r"
    top=$(ls "$WORK/unzipped$r")
    diff -r "$src" "$WORK/unzipped$r/$top" > /dev/null || die "the export of Bench$r differs from its folder"
    rm -rf "$WORK/copy$r" "$WORK/unzipped$r" "$WORK/export$r.zip"
    log "round $r: reference ${REF[-1]} s, per-file durable copy ${DUR[-1]} s, import ${IMP[-1]} s, export ${EXP[-1]} s (export identical file for file)"
done
REF_M=$(median "${REF[@]}"); DUR_M=$(median "${DUR[@]}"); IMP_M=$(median "${IMP[@]}"); EXP_M=$(median "${EXP[@]}")

log "delta push: the command line's first push, then one panel changed"
DELTA="$WORK/delta/Delta"
java -cp "$CP" storyboard.projects.GeneratedProject "$DELTA" Delta "$SCENES" "$SHOTS" "$PANELS"
cli() { java -jar "$JAR" project "$@" --server "$BASE" --token "$TOKEN"; }
t0=$(now); cli push "$DELTA" -m "first push" > "$WORK/push1.txt"; t1=$(now)
FIRST=$(secs "$t0" "$t1")
# One panel: its thumbnail redrawn (other bytes) and its description edited in its scene file.
thumb=$(find "$DELTA/thumbnails" -type f | sort | awk 'NR == 1')   # awk reads it all: head would cut sort off (pipefail)
panel=$(basename "$thumb" .png); panel=${panel#panel_}
scene=$(grep -l "$panel" "$DELTA"/scenes/*.json | awk 'NR == 1')
head -c 2048 /dev/urandom >> "$thumb"
python3 - "$scene" "$panel" <<'EOF'
import sys
path, panel = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
at = text.index('"' + panel + '"')            # the panel's uuid; its description follows it
start = text.index('"description"', at)
end = text.index(',', start)
text = text[:start] + '"description" : "Panel redrawn for the benchmark"' + text[end:]
open(path, "w", encoding="utf-8").write(text)
EOF
CHANGED_BYTES=$(( $(stat -c %s "$thumb") + $(stat -c %s "$scene") ))
t0=$(now); cli push "$DELTA" -m "one panel" > "$WORK/push2.txt"; t1=$(now)
DELTA_S=$(secs "$t0" "$t1")
PUSHED=$(grep -o 'uploaded [0-9]* file(s), [0-9.]* [KMG]*i*B' "$WORK/push2.txt" || true)
grep -q 'uploaded 2 file(s)' "$WORK/push2.txt" || { cat "$WORK/push2.txt" >&2; die "the delta push did not upload exactly the 2 changed files"; }
cp "$WORK/push1.txt" "$WORK/push2.txt" "$RUN/"
log "first push $FIRST s; delta push $DELTA_S s: $PUSHED"

grep -o "imported project .*" "$WORK/server.log" | grep -v "Warmup" > "$RUN/server-import-phases.txt" || true

{
cat <<EOF
# Projects: import, export and a delta push

Run $STAMP on $(nproc) cores; java: $(java -version 2>&1 | head -1). Server: \`java $JAVA_OPTS -jar $(basename "$JAR")\`
on its embedded PostgreSQL, data directory on the work disk.

A generated project of $SCENES scenes x $SHOTS shots x $PANELS panels: $FILES files, $BYTES bytes (zip $ZIP_BYTES bytes).
Reference: \`sha256sum\` of every file, \`cp -r\` of the folder and \`sync -f\` (the copy durable), on the same
disk in the same run. Medians of $ROUNDS rounds, a different project each, after one unmeasured import and export
of a 5-scene project (the server's code compiled, as on a server that has been up a while).

| | median (s) | rounds (s) | against the reference |
|---|---:|---|---:|
| reference: sha256sum + cp + sync | $REF_M | ${REF[*]} | 1.00x |
| per-file durable copy (bench/projects/durable_copy.py) | $DUR_M | ${DUR[*]} | $(ratio "$DUR_M" "$REF_M")x |
| import (POST zip → 201) | $IMP_M | ${IMP[*]} | $(ratio "$IMP_M" "$REF_M")x |
| export (GET zip, streamed) | $EXP_M | ${EXP[*]} | $(ratio "$EXP_M" "$REF_M")x |

Every export was unzipped and compared with its folder: identical file for file.

The second row is the floor of a store that, like the server's blob store, makes each file durable on its own
before it answers (hash, write, fsync, rename into \`ab/cd/<sha256>\`, fsync of its folder; 16 at a time, in
Python): the reference flushes the whole copy with one \`sync -f\`, which a server sharing its disk cannot do per
request. Import against that floor: $(ratio "$IMP_M" "$DUR_M")x.

Where the server's time went, as it logs each import:

\`\`\`text
$(cat "$RUN/server-import-phases.txt")
\`\`\`

## Delta push

| | time (s) | sent |
|---|---:|---|
| first \`project push\` (import of the folder, zipped on the fly) | $FIRST | the whole project |
| one panel changed (thumbnail + its scene file), \`project push\` | $DELTA_S | $PUSHED ($CHANGED_BYTES bytes of changed files) |
EOF
} > "$BENCH_DIR/results/projects-latest.md"
cp "$BENCH_DIR/results/projects-latest.md" "$RUN/summary.md"
log "wrote bench/results/projects-latest.md"
cat "$BENCH_DIR/results/projects-latest.md"
