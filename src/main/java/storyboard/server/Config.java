package storyboard.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import storyboard.auth.JwtVerifier;
import storyboard.auth.Role;
import storyboard.kernel.Scope;

/**
 * The server's settings, resolved once at start-up from, in order of precedence: command-line flags, the
 * environment, a {@code .env} file in the working directory, and defaults. Anything unknown or invalid stops
 * start-up with one line naming the setting ({@link ConfigException}).
 */
public record Config(
        Optional<DatabaseUrl> databaseUrl,
        Optional<String> authToken,
        String host,
        int port,
        Path dataDir,
        List<String> corsOrigins,
        Optional<Path> logFile,
        LogFormat logFormat,
        long maxBodyBytes,
        Set<Scope> authTokenScopes,
        int rateLimit,
        int rateLimitIngest,
        int eventRetentionDays,
        Optional<JwtVerifier.Settings> jwt,
        Duration webhookRetryDelay,
        Duration webhookRetryWindow,
        int webhookPauseAfter,
        Duration webhookPauseFailingFor,
        Path blobDir,
        long maxBlobBytes,
        int assetRestoreDays,
        int projectRestoreDays,
        List<String> trustedProxies,
        Duration bodyTimeout,
        long bodyMinRate,
        Optional<Long> uploadMemoryBytes) {

    public enum LogFormat { TEXT, JSON }

    /**
     * A setting the server knows: its name (the environment variable and the {@code .env} key), its default (null:
     * none, or one that depends on other settings, described by {@code defaultNote}) and what it means, in one line.
     * This table is the one list of settings: {@link #resolve} accepts exactly these, and {@code serve --help} lists
     * them.
     */
    public record Setting(String name, String defaultValue, String defaultNote, String meaning) {
        /** The default as help shows it. */
        public String shownDefault() {
            return defaultValue != null ? defaultValue : defaultNote != null ? defaultNote : "none";
        }

        /** The command-line flag that sets it, where a command has one: {@code --port} for PORT, {@code --data-dir}
         * for STORYBOARD_DATA_DIR. */
        public String flag() {
            return "--" + name.replaceFirst("^STORYBOARD_", "").toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Every setting the server knows, in the order help lists them. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("DATABASE_URL", null, "embedded", "An existing PostgreSQL (14 or newer), "
                    + "postgresql://user:pass@host:5432/db or jdbc:postgresql://...; without it the server runs its own "
                    + "in STORYBOARD_DATA_DIR/postgres."),
            new Setting("AUTH_TOKEN", null, null, "A token accepted with full rights (8 characters or more); without "
                    + "it, and with no stored token, the first start creates an admin token and prints it once."),
            new Setting("HOST", "0.0.0.0", null, "Address to listen on (0.0.0.0: every IPv4 interface)."),
            new Setting("PORT", "5000", null, "Port to listen on."),
            new Setting("STORYBOARD_DATA_DIR", "./data", null,
                    "Where the embedded PostgreSQL (and, unless BLOB_DIR is set, the blobs) are kept."),
            new Setting("CORS_ORIGINS", "*", null,
                    "Comma-separated origins allowed to call the API from a browser, e.g. https://dashboard.studio.local."),
            new Setting("TRUSTED_PROXIES", null, null, "Reverse proxies whose X-Forwarded-For is believed: addresses, "
                    + "CIDR blocks (10.0.0.0/24) or ranges (10.0.0.5-10.0.0.9), comma-separated."),
            new Setting("LOG_FILE", null, null, "Also write logs to this file."),
            new Setting("LOG_FORMAT", "text", null, "text for people, json for log collectors (one object per line)."),
            new Setting("MAX_BODY_BYTES", String.valueOf(1024 * 1024), null,
                    "Largest accepted log body (413 above it); a batch may be 32 times larger (at least 32 MiB)."),
            new Setting("AUTH_TOKEN_SCOPES", "admin", null,
                    "What AUTH_TOKEN may do, comma-separated: ingest, read, write, worker, admin."),
            new Setting("RATE_LIMIT", "100", null, "Requests per second per credential on every route but ingest "
                    + "(bursts of twice that); 0 turns it off."),
            new Setting("RATE_LIMIT_INGEST", "1000", null,
                    "The same for posting logs; a token's own rate limit overrides both."),
            new Setting("EVENT_RETENTION_DAYS", "30", null,
                    "Days the event log keeps events (replay and Server-Sent Events resume within them)."),
            new Setting("JWT_JWKS_URL", null, null, "Accept the identity provider's JWT bearer tokens, checked against "
                    + "this JWKS URL; needs JWT_ISSUER and JWT_AUDIENCE."),
            new Setting("JWT_ISSUER", null, null, "The exact iss a JWT must carry."),
            new Setting("JWT_AUDIENCE", null, null, "An aud a JWT must carry."),
            new Setting("JWT_ROLE_CLAIM", "roles", null, "The JWT claim holding the person's groups or roles."),
            new Setting("JWT_ROLE_MAP", "admin=admin,editor=editor,viewer=viewer", null,
                    "Claim values to roles (value=admin|editor|viewer, comma-separated); the strongest match wins."),
            new Setting("WEBHOOK_RETRY_DELAY", "30s", null, "Wait before a failed webhook delivery's first retry; it "
                    + "doubles on each retry, at most an hour apart (units ms, s, m, h, d)."),
            new Setting("WEBHOOK_RETRY_WINDOW", "24h", null,
                    "How long a webhook delivery is retried before it is marked failed."),
            new Setting("WEBHOOK_PAUSE_AFTER", "20", null,
                    "A webhook is paused after this many failed attempts in a row..."),
            new Setting("WEBHOOK_PAUSE_FAILING_FOR", "1h", null, "...once its failures have also lasted this long."),
            new Setting("BLOB_DIR", null, "STORYBOARD_DATA_DIR/blobs", "Where the bytes of files (blobs) are stored; on a shared "
                    + "file system when several server processes serve one database."),
            new Setting("MAX_BLOB_BYTES", String.valueOf(10L << 30), null, "Largest file (blob) upload in bytes, 10 GiB by default (413 above it)."),
            new Setting("ASSET_RESTORE_DAYS", "30", null, "Days a deleted asset can be restored."),
            new Setting("PROJECT_RESTORE_DAYS", "30", null, "Days a deleted project can be restored (gc purges it after)."),
            new Setting("BODY_TIMEOUT", "60s", null, "How long a request body may pause, or fall behind BODY_MIN_RATE, "
                    + "before it is answered 408 and its connection closed (nothing of it kept)."),
            new Setting("BODY_MIN_RATE", "1024", null, "The slowest a request body may arrive on average, in bytes a "
                    + "second (0: no minimum): a byte-a-second trickle is cut after about BODY_TIMEOUT."),
            new Setting("UPLOAD_MEMORY_BYTES", null, "a quarter of the heap, 16-256 MiB", "Memory for receiving "
                    + "uploads, all together; an upload that finds none free for 5 s is answered 503 with Retry-After."));

    /** Every setting the server knows, with its default (null: none). */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Environment variables read by the launcher (bin/storyboard-server), not settings, though named like them. */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("STORYBOARD_CLASSPATH");

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            if (d.containsKey(s.name())) throw new IllegalStateException("setting " + s.name() + " listed twice");
            d.put(s.name(), s.defaultValue());
        }
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Largest batch body: room for the batch endpoint's 1000 items of typical size. */
    public long maxBatchBodyBytes() {
        return Math.max(maxBodyBytes * 32, 32L * 1024 * 1024);
    }

    /**
     * Resolves the settings.
     *
     * @param flags values given on the command line, by setting name (null values ignored)
     * @param env the process environment
     * @param dotEnv the {@code .env} file to read if it exists
     */
    public static Config resolve(Map<String, String> flags, Map<String, String> env, Path dotEnv) {
        Map<String, String> fromFile = readDotEnv(dotEnv);
        for (String key : env.keySet()) {
            if (key.startsWith("STORYBOARD_") && !DEFAULTS.containsKey(key) && !key.startsWith("STORYBOARD_TEST_")
                    && !LAUNCHER_VARIABLES.contains(key)) {
                throw new ConfigException(key, "unknown setting " + key + " in the environment (known: "
                        + String.join(", ", DEFAULTS.keySet()) + ")");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
            String key = e.getKey();
            String value = flags.get(key);
            if (value == null) value = env.get(key);
            if (value == null) value = fromFile.get(key);
            if (value == null) value = e.getValue();
            if (value != null && value.isBlank()) value = null;
            values.put(key, value);
        }
        return fromValues(values);
    }

    static Config fromValues(Map<String, String> v) {
        Optional<DatabaseUrl> db = Optional.ofNullable(v.get("DATABASE_URL")).map(s -> {
            try {
                return DatabaseUrl.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("DATABASE_URL", "invalid DATABASE_URL: " + e.getMessage());
            }
        });
        Optional<String> token = Optional.ofNullable(v.get("AUTH_TOKEN"));
        token.ifPresent(t -> {
            if (t.length() < 8) throw new ConfigException("AUTH_TOKEN", "invalid AUTH_TOKEN: at least 8 characters are needed");
        });
        String host = get(v, "HOST");
        int port = parseInt("PORT", get(v, "PORT"), 0, 65535);
        Path dataDir = Path.of(get(v, "STORYBOARD_DATA_DIR"));
        List<String> origins = new ArrayList<>();
        for (String o : get(v, "CORS_ORIGINS").split(",")) {
            String t = o.trim();
            if (t.isEmpty()) continue;
            if (!t.equals("*") && !t.matches("https?://[^/\\s]+")) {
                throw new ConfigException("CORS_ORIGINS", "invalid CORS_ORIGINS entry '" + t
                        + "': expected * or an origin such as https://dashboard.studio.local");
            }
            origins.add(t);
        }
        Optional<Path> logFile = Optional.ofNullable(v.get("LOG_FILE")).map(Path::of);
        LogFormat format;
        String f = get(v, "LOG_FORMAT").toLowerCase(Locale.ROOT);
        switch (f) {
            case "text" -> format = LogFormat.TEXT;
            case "json" -> format = LogFormat.JSON;
            default -> throw new ConfigException("LOG_FORMAT", "invalid LOG_FORMAT '" + f + "': expected text or json");
        }
        long maxBody = parseLong("MAX_BODY_BYTES", get(v, "MAX_BODY_BYTES"), 1024, 1L << 31);
        Set<Scope> authTokenScopes;
        try {
            authTokenScopes = Scope.parseList(get(v, "AUTH_TOKEN_SCOPES"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("AUTH_TOKEN_SCOPES", "invalid AUTH_TOKEN_SCOPES: " + e.getMessage());
        }
        int rateLimit = parseInt("RATE_LIMIT", get(v, "RATE_LIMIT"), 0, 1_000_000);
        int rateLimitIngest = parseInt("RATE_LIMIT_INGEST",
                get(v, "RATE_LIMIT_INGEST"), 0, 1_000_000);
        return new Config(db, token, host, port, dataDir, List.copyOf(origins), logFile, format, maxBody,
                Set.copyOf(authTokenScopes), rateLimit, rateLimitIngest,
                parseInt("EVENT_RETENTION_DAYS", get(v, "EVENT_RETENTION_DAYS"), 1, 36500),
                jwt(v),
                parseDuration("WEBHOOK_RETRY_DELAY", get(v, "WEBHOOK_RETRY_DELAY"), Duration.ofMillis(1), Duration.ofHours(1)),
                parseDuration("WEBHOOK_RETRY_WINDOW", get(v, "WEBHOOK_RETRY_WINDOW"), Duration.ZERO, Duration.ofDays(30)),
                parseInt("WEBHOOK_PAUSE_AFTER", get(v, "WEBHOOK_PAUSE_AFTER"), 1, 1_000_000),
                parseDuration("WEBHOOK_PAUSE_FAILING_FOR", get(v, "WEBHOOK_PAUSE_FAILING_FOR"), Duration.ZERO,
                        Duration.ofDays(30)),
                Optional.ofNullable(v.get("BLOB_DIR")).map(Path::of).orElse(dataDir.resolve("blobs")),
                parseLong("MAX_BLOB_BYTES", get(v, "MAX_BLOB_BYTES"),
                        1, Long.MAX_VALUE / 2),
                parseInt("ASSET_RESTORE_DAYS", get(v, "ASSET_RESTORE_DAYS"), 1, 36500),
                parseInt("PROJECT_RESTORE_DAYS", get(v, "PROJECT_RESTORE_DAYS"), 1, 36500),
                trustedProxies(v.get("TRUSTED_PROXIES")),
                parseDuration("BODY_TIMEOUT", get(v, "BODY_TIMEOUT"), Duration.ofMillis(100), Duration.ofHours(1)),
                parseLong("BODY_MIN_RATE", get(v, "BODY_MIN_RATE"), 0, 1L << 30),
                Optional.ofNullable(v.get("UPLOAD_MEMORY_BYTES"))
                        .map(m -> parseLong("UPLOAD_MEMORY_BYTES", m, 1L << 20, 1L << 40)));
    }

    /** Addresses, CIDR blocks or ranges of the load balancers / reverse proxies whose X-Forwarded-For is believed. */
    private static List<String> trustedProxies(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) return out;
        for (String entry : raw.split(",")) {
            String t = entry.trim();
            if (t.isEmpty()) continue;
            try {
                new org.eclipse.jetty.util.InetAddressSet().add(t);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("TRUSTED_PROXIES", "invalid TRUSTED_PROXIES entry '" + t
                        + "': expected an address (10.0.0.5), a CIDR block (10.0.0.0/24) or a range (10.0.0.5-10.0.0.9)");
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    /** A setting's value, else its default. */
    private static String get(Map<String, String> v, String name) {
        String value = v.get(name);
        return value != null ? value : DEFAULTS.get(name);
    }

    /** JWT sign-in is on when JWT_JWKS_URL is set; issuer and audience are then required. */
    private static Optional<JwtVerifier.Settings> jwt(Map<String, String> v) {
        String url = v.get("JWT_JWKS_URL");
        if (url == null) {
            for (String other : List.of("JWT_ISSUER", "JWT_AUDIENCE")) {
                if (v.get(other) != null) throw new ConfigException(other, other + " is set but JWT_JWKS_URL is not");
            }
            return Optional.empty();
        }
        if (!url.matches("https?://\\S+")) {
            throw new ConfigException("JWT_JWKS_URL", "invalid JWT_JWKS_URL '" + url + "': expected an http(s) URL");
        }
        for (String needed : List.of("JWT_ISSUER", "JWT_AUDIENCE")) {
            if (v.get(needed) == null) throw new ConfigException(needed, needed + " is required with JWT_JWKS_URL");
        }
        String claim = get(v, "JWT_ROLE_CLAIM");
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String pair : get(v, "JWT_ROLE_MAP").split(",")) {
            String[] kv = pair.split("=", 2);
            try {
                if (kv.length != 2 || kv[0].isBlank()) throw new IllegalArgumentException("expected value=role");
                roles.put(kv[0].trim(), Role.parse(kv[1]));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("JWT_ROLE_MAP", "invalid JWT_ROLE_MAP entry '" + pair.trim()
                        + "': expected <claim value>=<admin|editor|viewer>");
            }
        }
        return Optional.of(new JwtVerifier.Settings(url, v.get("JWT_ISSUER"), v.get("JWT_AUDIENCE"), claim, Map.copyOf(roles)));
    }

    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 24h} or {@code 3d}. */
    static Duration parseDuration(String name, String value, Duration min, Duration max) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        Duration d = storyboard.api.Durations.parse(s).orElse(null);
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(name, "invalid " + name + " '" + s + "': expected a duration such as 500ms, 30s, "
                    + "5m, 24h or 3d, from " + describe(min) + " to " + describe(max));
        }
        return d;
    }

    private static String describe(Duration d) {
        if (d.isZero()) return "0";
        if (d.toMillis() < 1000) return d.toMillis() + "ms";
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) return d.toDays() + "d";
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) return d.toHours() + "h";
        return d.toSeconds() + "s";
    }

    private static int parseInt(String name, String value, int min, int max) {
        return (int) parseLong(name, value, min, max);
    }

    private static long parseLong(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (RuntimeException e) {
            throw new ConfigException(name, "invalid " + name + " '" + value + "': expected a whole number from "
                    + min + " to " + max);
        }
    }

    /** Reads KEY=VALUE lines; blank lines and # comments are skipped; quotes around a value are removed. */
    static Map<String, String> readDotEnv(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        if (file == null || !Files.isRegularFile(file)) return out;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(".env", "cannot read " + file + ": " + e.getMessage());
        }
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) throw new ConfigException(".env", file + " line " + n + ": expected KEY=VALUE");
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException(key, "unknown setting " + key + " in " + file + " line " + n
                        + " (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            out.put(key, value);
        }
        return out;
    }

    /** A setting that stops start-up; its message is the one line shown to the user. */
    public static final class ConfigException extends RuntimeException {
        private final String setting;

        public ConfigException(String setting, String message) {
            super(message);
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }
}
