package storyboard.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import storyboard.api.ApiException;
import storyboard.api.DatabaseUnavailableException;
import storyboard.api.ErrorResponses;
import storyboard.api.RetryLaterException;
import storyboard.api.JsonBody;
import storyboard.api.RequestText;
import storyboard.assets.AssetsCapability;
import storyboard.assets.UploadMemory;
import storyboard.auth.AuthCapability;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;
import storyboard.kernel.DomainException;
import storyboard.kernel.Json;
import storyboard.kernel.RouteAccess;
import storyboard.web.Pages;
import storyboard.web.Site;

/** The running server: database, HTTP and every capability, wired together. */
public final class App implements AutoCloseable {
    /** The server's version: its banner, {@code --version}, and the User-Agent of webhook deliveries. */
    public static final String VERSION = "0.1.0";

    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    private static final Logger REQUESTS = LoggerFactory.getLogger("storyboard.requests");
    private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final Config config;
    private final EmbeddedDatabase embedded;
    private final Database database;
    /** Every capability of the server, in the order they start; they stop in the reverse order. */
    private final List<Capability> capabilities;
    private final UploadMemory uploadMemory;
    private BodyGuard bodyGuard;
    private StreamedBodies streamedBodies;
    private final Javalin javalin;
    private Api api;
    private final List<Api.Route> routes;
    private final Optional<String> initialAdminToken;

    private App(Config config, EmbeddedDatabase embedded, Database database, Optional<String> initialAdminToken) {
        this.config = config;
        this.embedded = embedded;
        this.database = database;
        this.initialAdminToken = initialAdminToken;
        Capabilities capabilities = Capabilities.of(config, database);
        this.capabilities = capabilities.all();
        this.uploadMemory = capabilities.assets().uploadMemory();
        this.javalin = Javalin.create(c -> {
            configureJetty(c, capabilities.assets());
            configureHttp(c);
            allowCrossOrigin(c);
            checkEveryRequest(c, capabilities.auth(), capabilities.site());
            answerErrorsAsJson(c);
            this.api = registerRoutes(c);
        });
        this.routes = api.routes();
    }

    /** Jetty: limits, multipart spooling, the request-body guards and the listening connector. */
    private void configureJetty(JavalinConfig c, AssetsCapability assets) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.http.maxRequestSize = config.maxBatchBodyBytes();
        // Multipart asset uploads: parts beyond 64 KB are spooled to a file next to the blobs, never held in memory.
        c.jetty.multipartConfig.cacheDirectory(assets.spoolDirectory().toString());
        c.jetty.multipartConfig.maxFileSize(config.maxBlobBytes(), io.javalin.config.SizeUnit.BYTES);
        c.jetty.multipartConfig.maxTotalRequestSize(config.maxBlobBytes() + JsonBody.SMALL * 4, io.javalin.config.SizeUnit.BYTES);
        c.jetty.multipartConfig.maxInMemoryFileSize(64, io.javalin.config.SizeUnit.KB);
        c.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrorHandler());
            // Before every route: request bodies are timed, and their first bytes read without a thread.
            bodyGuard = new BodyGuard(config.bodyTimeout(), config.bodyMinRate());
            server.insertHandler(new CompletionAfterHandling());
            streamedBodies = new StreamedBodies(server.getThreadPool());
            server.insertHandler(streamedBodies);
            server.insertHandler(bodyGuard);
        });
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
            // Silent connections (between requests, or a response the client does not read) are closed after
            // 30 s, and never before a stalled request body is answered by BodyGuard (BODY_TIMEOUT).
            connector.setIdleTimeout(Math.max(30_000, config.bodyTimeout().toMillis() + 1_000));
            return connector;
        });
    }

    /** JSON, client addresses behind trusted proxies, and virtual threads where the runtime has them. */
    private void configureHttp(JavalinConfig c) {
        c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        ClientAddress clientAddress = new ClientAddress(config.trustedProxies());
        c.contextResolver.ip = clientAddress::of;
        c.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
    }

    /** Browser clients of other origins (CORS_ORIGINS) may call the API and read the headers it answers with. */
    private void allowCrossOrigin(JavalinConfig c) {
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
    }

    /** Every request: logged, given a request id and safe headers, its query checked, its credential admitted. */
    private static void checkEveryRequest(JavalinConfig c, AuthCapability auth, Site site) {
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
            ctx.attribute(Site.ATTRIBUTE, site);
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
            auth.admit(ctx, rule);
        });
    }

    /** Every failure, the server's own included, is the JSON error with its status; never a stack trace. */
    private static void answerErrorsAsJson(JavalinConfig c) {
        c.routes.exception(ApiException.class, (e, ctx) -> refuse(ctx, e));
        c.routes.exception(DomainException.class, (e, ctx) -> refuse(ctx, ErrorResponses.toApi(e)));
        c.routes.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx,
                new ApiException(e.getStatus(), switch (e.getStatus()) {
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    case 413 -> "body_too_large";
                    default -> "http_" + e.getStatus();
                }, e.getMessage())));
        c.router.javaLangErrorHandler((res, error) -> {
            OutOfMemory.exitIf(error);
            LOG.error("unexpected error while answering a request", error);
            res.setStatus(500);
        });
        c.routes.exception(Exception.class, (e, ctx) -> {
            OutOfMemory.exitIf(e); // e.g. a CompletionException from a thread that ran out of memory
            if (DatabaseUnavailableException.isTransactionConflict(e)) {
                LOG.warn("transaction conflict on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                refuse(ctx, new RetryLaterException(503, "transaction_conflict", "the change collided with another one "
                        + "being made at the same moment and was not kept; try again", 1));
            } else if (DatabaseUnavailableException.isConnectionFailure(e)) {
                LOG.warn("database unavailable: {}", e.getMessage());
                refuse(ctx, new DatabaseUnavailableException("the database is not reachable; try again shortly"));
            } else {
                LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                refuse(ctx, new ApiException(500, "internal_error",
                        "the server failed on this request; the log has details (request id "
                                + MDC.get("requestId") + ")"));
            }
        });
        c.routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                refuse(ctx, ApiException.notFound("route " + ctx.method() + " " + ctx.path()));
            }
        });
        c.routes.error(405, ctx -> refuse(ctx, new ApiException(405, "method_not_allowed",
                ctx.method() + " is not allowed on " + ctx.path())));
    }

    /** A refusal as the JSON error, or as a page when a browser asked for a page. */
    private static void refuse(Context ctx, ApiException e) {
        if (Pages.wanted(ctx)) {
            try {
                Pages.refuse(ctx, e);
                return;
            } catch (RuntimeException pageFailed) {
                LOG.error("the error page failed; answering JSON", pageFailed);
            }
        }
        ErrorResponses.send(ctx, e);
    }

    /** The health checks, the API description and every capability's routes. */
    private Api registerRoutes(JavalinConfig c) {
        Api a = new Api(c.routes);
        a.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        a.get("/readyz", ctx -> {
            boolean ready = database.ready();
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "unavailable",
                    "database", ready ? "ok" : "unreachable or not migrated"));
        });
        a.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml; charset=utf-8")
                .result(openApiDocument()));
        for (Capability capability : capabilities) capability.routes(a);
        return a;
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
            Optional<String> adminToken = config.authToken().isEmpty()
                    ? AuthCapability.firstAdminToken(database.jdbi()) : Optional.empty();
            App app = new App(config, embedded, database, adminToken);
            app.capabilities.forEach(Capability::start);
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

    public static String rootMessage(Throwable t) {
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

    /** The memory uploads are received in (tests check it all comes back). */
    public UploadMemory uploadMemory() {
        return uploadMemory;
    }

    /** What the guard of request bodies holds now: read-ahead bytes, and bodies being read (tests). */
    long[] bodiesHeld() {
        return new long[] {bodyGuard.prefetched(), bodyGuard.reading()};
    }

    /** How many requests may read their bodies from the connection at once (tests). */
    int streamedBodiesLimit() {
        return streamedBodies.getMaxRequestCount();
    }

    /** Stops in the order that loses nothing: queued writes are committed and answered before HTTP stops. */
    @Override
    public void close() {
        try {
            closeCapabilities(capabilities.size() - 1);
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

    /** Closes the capabilities from the last to the first, each even if a later one failed to close. */
    private void closeCapabilities(int last) {
        if (last < 0) return;
        try {
            capabilities.get(last).close();
        } finally {
            closeCapabilities(last - 1);
        }
    }

    /** A start-up failure explained in one line. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
