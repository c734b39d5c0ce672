package storyboard.server;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import storyboard.api.Api;
import storyboard.api.ApiException;
import storyboard.api.RequestText;
import storyboard.api.DatabaseUnavailableException;
import storyboard.api.ErrorResponses;
import storyboard.api.Json;
import storyboard.api.JsonBody;
import storyboard.assets.AssetRoutes;
import storyboard.assets.BlobIndex;
import storyboard.assets.BlobRoutes;
import storyboard.assets.FileBlobStore;
import storyboard.assets.Md5Backfill;
import storyboard.assets.UploadRoutes;
import storyboard.assets.UploadStore;
import storyboard.auth.Actor;
import storyboard.auth.AuditLog;
import storyboard.auth.AuditRoutes;
import storyboard.auth.TokenRoutes;
import storyboard.auth.Authenticator;
import storyboard.auth.JwtVerifier;
import storyboard.auth.Principal;
import storyboard.auth.RateLimiter;
import storyboard.auth.RouteAccess;
import storyboard.auth.LoginRoutes;
import storyboard.auth.LoginThrottle;
import storyboard.auth.Scope;
import storyboard.auth.SessionStore;
import storyboard.auth.TokenStore;
import storyboard.budgets.BudgetRoutes;
import storyboard.events.EventLog;
import storyboard.events.EventRetention;
import storyboard.events.EventRoutes;
import storyboard.events.EventStream;
import storyboard.auth.UserRoutes;
import storyboard.auth.UserStore;
import storyboard.events.WebhookDispatcher;
import storyboard.events.WebhookRoutes;
import storyboard.events.WebhookStore;
import storyboard.promptlog.PromptLogRoutes;
import storyboard.prompts.PromptRoutes;

/** The running server: database, HTTP and every capability, wired together. */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    private static final Logger REQUESTS = LoggerFactory.getLogger("storyboard.requests");
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final Config config;
    private final EmbeddedDatabase embedded;
    private final Database database;
    private final PromptLogRoutes promptLog;
    private final EventStream eventStream;
    private final Md5Backfill md5Backfill;
    private final EventRetention eventRetention;
    private final WebhookDispatcher webhookDispatcher;
    private final Javalin javalin;
    private final List<Api.Route> routes;
    private final Optional<String> initialAdminToken;

    private App(Config config, EmbeddedDatabase embedded, Database database, Optional<String> initialAdminToken) {
        this.config = config;
        this.embedded = embedded;
        this.database = database;
        this.initialAdminToken = initialAdminToken;
        TokenStore tokens = new TokenStore(database.jdbi());
        SessionStore sessions = new SessionStore(database.jdbi());
        UserStore users = new UserStore(database.jdbi());
        AuditLog audit = new AuditLog(database.jdbi());
        Authenticator authenticator = new Authenticator(config.authToken(), config.authTokenScopes(), tokens, sessions);
        config.jwt().ifPresent(settings -> authenticator.withJwt(new JwtVerifier(settings)));
        RateLimiter rateLimiter = new RateLimiter(config.rateLimit(), config.rateLimitIngest());
        EventLog events = new EventLog(database.jdbi());
        this.eventStream = new EventStream(database.dataSource(), events);
        this.eventRetention = new EventRetention(events, java.time.Duration.ofDays(config.eventRetentionDays()));
        WebhookStore webhooks = new WebhookStore(database.jdbi(), events);
        this.webhookDispatcher = new WebhookDispatcher(webhooks, new WebhookDispatcher.Settings(config.webhookRetryDelay(),
                config.webhookRetryWindow(), config.webhookPauseAfter(), config.webhookPauseFailingFor(),
                java.time.Duration.ofDays(config.eventRetentionDays())), Main.VERSION);
        eventStream.onNewEvents(webhookDispatcher::wake);
        FileBlobStore blobStore;
        try {
            blobStore = new FileBlobStore(config.blobDir());
        } catch (IOException e) {
            throw new StartupException("cannot use the blob directory " + config.blobDir() + " (BLOB_DIR): "
                    + e.getMessage(), e);
        }
        this.md5Backfill = new Md5Backfill(database.jdbi(), blobStore);
        md5Backfill.resume();
        BlobIndex blobIndex = new BlobIndex(database.jdbi(), md5Backfill);
        AssetRoutes assets = new AssetRoutes(database.jdbi(), blobStore, blobIndex, config.maxBlobBytes(),
                config.assetRestoreDays());
        this.promptLog = new PromptLogRoutes(database.dataSource(), database.jdbi(), config.maxBodyBytes(),
                config.maxBatchBodyBytes());
        Api[] api = new Api[1];
        this.javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = config.maxBatchBodyBytes();
            // Multipart asset uploads: parts beyond 64 KB are spooled to a file next to the blobs, never held in memory.
            c.jetty.multipartConfig.cacheDirectory(blobStore.root().resolve("tmp").toString());
            c.jetty.multipartConfig.maxFileSize(config.maxBlobBytes(), io.javalin.config.SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.maxBlobBytes() + JsonBody.SMALL * 4, io.javalin.config.SizeUnit.BYTES);
            c.jetty.multipartConfig.maxInMemoryFileSize(64, io.javalin.config.SizeUnit.KB);
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            // A deep accept queue: a studio's desktop apps and workers may connect all at once (the JDK's default
            // backlog of 50 resets connections beyond it while the server is busy).
            c.jetty.addConnector((server, http) -> {
                org.eclipse.jetty.server.HttpConnectionFactory h1 = new org.eclipse.jetty.server.HttpConnectionFactory(http);
                // Network reads of 256 KiB rather than 8: a file upload streams in 32 times fewer reads and wake-ups
                // (a 1 GiB upload took about 10% less CPU than with 64 KiB; Jetty pools the buffers).
                h1.setInputBufferSize(256 * 1024);
                // Jetty's default pool keeps buffers up to 64 KiB only: every 256 KiB read buffer would be a new
                // direct buffer, freed only when a full GC runs, and the resident size grew by the JVM's whole off-heap
                // allowance (277 -> 523 MB in the ingest bench). This pool keeps them, within 64 MiB each on and off heap.
                org.eclipse.jetty.io.ArrayByteBufferPool pool = new org.eclipse.jetty.io.ArrayByteBufferPool(
                        0, 4096, 256 * 1024, 64, 64L << 20, 64L << 20);
                org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(
                        server, null, null, pool, -1, -1, h1);
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setAcceptQueueSize(1024);
                return connector;
            });
            c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            ClientAddress clientAddress = new ClientAddress(config.trustedProxies());
            c.contextResolver.ip = clientAddress::of;
            c.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            c.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                List<String> origins = config.corsOrigins();
                if (origins.isEmpty() || origins.contains("*")) {
                    rule.anyHost();
                } else {
                    rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
                }
                rule.exposeHeader("X-Request-Id");
                rule.exposeHeader("Retry-After");
                rule.exposeHeader("RateLimit-Limit");
                rule.exposeHeader("RateLimit-Remaining");
                // Blobs and resumable (tus) uploads, for browser clients.
                for (String h : List.of("ETag", "Content-Range", "Accept-Ranges", "Content-Length", "Location",
                        "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Upload-Offset", "Upload-Length",
                        "Upload-Expires", "Upload-Metadata", "Upload-Sha256")) {
                    rule.exposeHeader(h);
                }
            }));
            c.requestLogger.http((ctx, ms) -> {
                // An answer written on another thread (ingest waits for its commit) has no request id in that
                // thread's MDC: the response header has it.
                MDC.put("requestId", ctx.res().getHeader("X-Request-Id"));
                REQUESTS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
                MDC.remove("requestId");
            });

            c.routes.before(ctx -> {
                String requestId = Optional.ofNullable(ctx.header("X-Request-Id"))
                        .filter(id -> REQUEST_ID.matcher(id).matches())
                        .orElseGet(() -> UUID.randomUUID().toString());
                MDC.put("requestId", requestId);
                ctx.header("X-Request-Id", requestId);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                // API answers are data, never pages: nothing in them may run or be framed. Pages (the sign-in
                // form) set their own, narrower policy.
                ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
                ctx.header("X-Frame-Options", "DENY");
                RequestText.checkQuery(ctx.queryString());
            });
            c.routes.beforeMatched(ctx -> {
                RouteAccess.Rule rule = null;
                for (RouteRole role : ctx.routeRoles()) if (role instanceof RouteAccess.Rule r) rule = r;
                if (rule == null) {
                    // CORS pre-flight answers carry no data; any other route must have a rule.
                    if (ctx.method().name().equals("OPTIONS")) return;
                    throw new ApiException(403, "forbidden", "this route has no access rule");
                }
                if (rule.scope() == Scope.PUBLIC) return;
                Principal principal = authenticator.require(ctx, rule.scope());
                if (rule.serverWide()) Authenticator.requireUnrestricted(ctx);
                rateLimiter.acquire(ctx, principal, rule.scope());
            });

            c.routes.exception(ApiException.class, (e, ctx) -> ErrorResponses.send(ctx, e));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> ErrorResponses.send(ctx,
                    new ApiException(e.getStatus(), switch (e.getStatus()) {
                        case 404 -> "not_found";
                        case 405 -> "method_not_allowed";
                        case 413 -> "body_too_large";
                        default -> "http_" + e.getStatus();
                    }, e.getMessage())));
            c.routes.exception(Exception.class, (e, ctx) -> {
                if (DatabaseUnavailableException.isConnectionFailure(e)) {
                    LOG.warn("database unavailable: {}", e.getMessage());
                    ErrorResponses.send(ctx, new DatabaseUnavailableException("the database is not reachable; try again shortly"));
                } else {
                    LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                    ErrorResponses.send(ctx, new ApiException(500, "internal_error",
                            "the server failed on this request; the log has details (request id "
                                    + MDC.get("requestId") + ")"));
                }
            });
            c.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    ErrorResponses.send(ctx, ApiException.notFound("route " + ctx.method() + " " + ctx.path()));
                }
            });
            c.routes.error(405, ctx -> ErrorResponses.send(ctx, new ApiException(405, "method_not_allowed",
                    ctx.method() + " is not allowed on " + ctx.path())));

            Api a = new Api(c.routes);
            a.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            a.get("/readyz", ctx -> {
                boolean ready = database.ready();
                ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "unavailable",
                        "database", ready ? "ok" : "unreachable or not migrated"));
            });
            a.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml; charset=utf-8")
                    .result(openApiDocument()));
            new TokenRoutes(tokens).register(a);
            new AuditRoutes(audit).register(a);
            new UserRoutes(users).register(a);
            new LoginRoutes(users, sessions, LoginThrottle.standard(), audit).register(a);
            new EventRoutes(events, eventStream).register(a);
            new BudgetRoutes(database.jdbi()).register(a);
            new PromptRoutes(database.jdbi()).register(a);
            new WebhookRoutes(webhooks, webhookDispatcher).register(a);
            promptLog.register(a);
            assets.register(a);
            new BlobRoutes(blobStore, blobIndex, config.maxBlobBytes()).register(a);
            new UploadRoutes(blobStore, blobIndex, new UploadStore(database.jdbi()),
                    config.maxBlobBytes()).register(a);
            api[0] = a;
        });
        this.routes = api[0].routes();
    }

    /**
     * Starts the server: the database (embedded unless DATABASE_URL is set), migrations, the first admin token
     * when none exists, then HTTP. Closes what it opened if a step fails.
     */
    public static App start(Config config) {
        EmbeddedDatabase embedded = null;
        Database database = null;
        try {
            embedded = EmbeddedDatabase.startUnlessConfigured(config);
            DatabaseUrl url = EmbeddedDatabase.urlFor(config, embedded);
            database = Database.open(url, 16);
            try {
                database.migrate();
            } catch (RuntimeException e) {
                throw new StartupException("could not prepare the database " + url.display() + ": "
                        + rootMessage(e), e);
            }
            Optional<String> adminToken = Optional.empty();
            if (config.authToken().isEmpty()) {
                TokenStore tokens = new TokenStore(database.jdbi());
                if (tokens.countActive() == 0) {
                    adminToken = Optional.of(tokens.create(Actor.server(), new TokenStore.NewToken(
                            "admin (created at first start)", Scope.all(), Set.of(), null, null)).token());
                }
            }
            App app = new App(config, embedded, database, adminToken);
            app.javalin.start();
            if (embedded != null) embedded.recordListening(address(config.host(), app.port()));
            return app;
        } catch (RuntimeException e) {
            if (database != null) database.close();
            if (embedded != null) embedded.close();
            throw e;
        }
    }

    /** Where a client on this machine reaches the server: localhost when it listens on every interface. */
    static String address(String host, int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port;
    }

    private static String openApiDocument() {
        try (InputStream in = App.class.getResourceAsStream("/openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.yaml is missing from the build", e);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return String.valueOf(c.getMessage()).replaceAll("\\s+", " ").trim();
    }

    public int port() {
        return javalin.port();
    }

    public Config config() {
        return config;
    }

    public List<Api.Route> routes() {
        return routes;
    }

    /** The admin token created at this start, when there was none: shown once, never stored in clear. */
    public Optional<String> initialAdminToken() {
        return initialAdminToken;
    }

    public Optional<EmbeddedDatabase> embeddedDatabase() {
        return Optional.ofNullable(embedded);
    }

    public Database database() {
        return database;
    }

    /** Stops in the order that loses nothing: queued writes are committed and answered before HTTP stops. */
    @Override
    public void close() {
        try {
            eventRetention.close();
            webhookDispatcher.close();
            eventStream.close();
            md5Backfill.close();
            promptLog.close();
        } finally {
            try {
                javalin.stop();
            } finally {
                try {
                    database.close();
                } finally {
                    if (embedded != null) embedded.close();
                }
            }
        }
    }

    /** A start-up failure explained in one line. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
