# Shared by the bench scripts (sourced once they set BENCH_DIR and REPO_DIR): logging, the JVM flags, the jar, stopping the server.

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The server's JVM flags, from their one definition: the launcher, bin/storyboard-server (its comment says why).
# The scripts run the server with JAVA_OPTS, which defaults to these (JAVA_OPTS= for the JVM's own defaults).
LAUNCHER_JVM_OPTS=$(sed -n 's/^DEFAULT_JVM_OPTS="\(.*\)"$/\1/p' "$REPO_DIR/bin/storyboard-server")
[ -n "$LAUNCHER_JVM_OPTS" ] || die "no DEFAULT_JVM_OPTS line in $REPO_DIR/bin/storyboard-server"

# Builds the jar from this repository unless JAR names one; leaves JAR an absolute path to an existing file.
ensure_jar() {
    if [ -z "$JAR" ]; then
        log "building the jar in $REPO_DIR (./mvnw -q -B package -DskipTests)"
        (cd "$REPO_DIR" && ./mvnw -q -B package -DskipTests) || die "build failed"
        JAR="$REPO_DIR/target/storyboard-server.jar"
    fi
    [ -f "$JAR" ] || die "no jar at $JAR"
    JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
}

# stop_server PID: SIGTERM (the server then stops its embedded PostgreSQL), up to 30 s, then SIGKILL.
stop_server() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    log "stopping the server (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { log "server still running; killing it"; kill -KILL "$pid"; }
    wait "$pid" 2>/dev/null
    return 0
}
