package storyboard.auth;

import storyboard.kernel.RouteAccess;
import storyboard.kernel.Scope;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storyboard.kernel.Api;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * Every route x every kind of credential, with the exact status and the security headers. The table below must name every route the
 * server registers, so a new route cannot land without its row (and its scope, which {@code Api} demands).
 */
class AccessMatrixTest {
    private static final String PROJECT = "matrix-project";
    private static TestServer server;
    private static final Map<String, String> credentials = new LinkedHashMap<>();

    /** How to call a route successfully, what that answers, and what a token of another project gets. */
    private record Row(String method, String path, Scope scope, Supplier<Call> call, int ok, int wrongProject) {}

    /** One concrete request: a path with real ids, a body, and headers (e.g. the tus protocol's). */
    private record Call(String path, String body, Map<String, String> headers) {
        Call(String path, String body) {
            this(path, body, Map.of());
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.get().newDatabase(), Map.of("RATE_LIMIT", "0", "RATE_LIMIT_INGEST", "0"));
        credentials.put("no token", null);
        for (String scope : List.of("ingest", "read", "write", "worker", "admin")) {
            credentials.put(scope, server.createToken("{\"name\":\"matrix " + scope + "\",\"scopes\":[\"" + scope + "\"]}"));
        }
        credentials.put("AUTH_TOKEN", TestServer.TOKEN);
        credentials.put("wrong project", server.createToken(
                "{\"name\":\"elsewhere\",\"scopes\":[\"ingest\",\"read\",\"write\",\"worker\",\"admin\"],\"projects\":[\"elsewhere\"]}"));
        String expired = server.createToken("{\"name\":\"expired\",\"scopes\":[\"admin\"],\"expires_in\":\"1m\"}");
        server.jdbi().useHandle(h -> h.execute("update api_token set expires_at = now() - interval '1 second' where name = 'expired'"));
        credentials.put("expired", expired);
        String revoked = server.createToken("{\"name\":\"revoked\",\"scopes\":[\"admin\"]}");
        String revokedId = server.call(revoked, "GET", "/api/v1/me", null).json().get("id").asText();
        assertThat(server.call(TestServer.TOKEN, "DELETE", "/api/v1/tokens/" + revokedId, null).status()).isEqualTo(204);
        credentials.put("revoked", revoked);
        credentials.put("unknown", "sbs_" + "A".repeat(43));
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/users", "{\"username\":\"matrix-person\",\"password\":\""
                + PASSWORD + "\",\"role\":\"viewer\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<Row> table() {
        String log = "/api/v1/prompt-history";
        String scoped = "?project=" + PROJECT;
        String projectLog = "{\"type\":\"matrix\",\"projectId\":\"" + PROJECT + "\"}";
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("GET", "/healthz", Scope.PUBLIC, () -> new Call("/healthz", null), 200, 200));
        rows.add(new Row("GET", "/readyz", Scope.PUBLIC, () -> new Call("/readyz", null), 200, 200));
        rows.add(new Row("GET", "/openapi.yaml", Scope.READ, () -> new Call("/openapi.yaml", null), 200, 200));
        rows.add(new Row("GET", "/api/v1/me", Scope.AUTHENTICATED, () -> new Call("/api/v1/me", null), 200, 200));
        rows.add(new Row("GET", "/api/v1/tokens", Scope.ADMIN, () -> new Call("/api/v1/tokens", null), 200, 403));
        rows.add(new Row("POST", "/api/v1/tokens", Scope.ADMIN,
                () -> new Call("/api/v1/tokens", "{\"name\":\"made by matrix\",\"scopes\":[\"read\"]}"), 201, 403));
        rows.add(new Row("GET", "/api/v1/tokens/{id}", Scope.ADMIN, () -> new Call("/api/v1/tokens/" + newTokenId(), null), 200, 403));
        rows.add(new Row("DELETE", "/api/v1/tokens/{id}", Scope.ADMIN, () -> new Call("/api/v1/tokens/" + newTokenId(), null), 204, 403));
        rows.add(new Row("GET", "/api/v1/audit", Scope.ADMIN, () -> new Call("/api/v1/audit", null), 200, 403));
        rows.add(new Row("GET", "/api/v1/events", Scope.READ, () -> new Call("/api/v1/events?project=" + PROJECT, null), 200, 404));
        rows.add(new Row("GET", "/api/v1/events/stream", Scope.READ,
                () -> new Call("/api/v1/events/stream?project=" + PROJECT, null), 200, 404));
        rows.add(new Row("GET", "/login", Scope.PUBLIC, () -> new Call("/login", null), 200, 200));
        rows.add(new Row("POST", "/login", Scope.PUBLIC,
                () -> new Call("/login", "{\"username\":\"matrix-person\",\"password\":\"" + PASSWORD + "\"}"), 200, 200));
        // A bearer credential has no session to end or show: 404 no_session.
        rows.add(new Row("POST", "/logout", Scope.AUTHENTICATED, () -> new Call("/logout", null), 404, 404));
        rows.add(new Row("GET", "/api/v1/session", Scope.AUTHENTICATED, () -> new Call("/api/v1/session", null), 404, 404));
        rows.add(new Row("GET", "/api/v1/users", Scope.ADMIN, () -> new Call("/api/v1/users", null), 200, 403));
        rows.add(new Row("POST", "/api/v1/users", Scope.ADMIN, () -> new Call("/api/v1/users", newUserJson()), 201, 403));
        rows.add(new Row("GET", "/api/v1/users/{id}", Scope.ADMIN, () -> new Call("/api/v1/users/" + newUserId(), null), 200, 403));
        rows.add(new Row("PATCH", "/api/v1/users/{id}", Scope.ADMIN,
                () -> new Call("/api/v1/users/" + newUserId(), "{\"display_name\":\"Renamed\"}"), 200, 403));
        rows.add(new Row("DELETE", "/api/v1/users/{id}", Scope.ADMIN, () -> new Call("/api/v1/users/" + newUserId(), null), 204, 403));
        rows.add(new Row("GET", "/api/v1/budgets", Scope.READ, () -> new Call("/api/v1/budgets", null), 200, 200));
        rows.add(new Row("POST", "/api/v1/budgets", Scope.ADMIN, () -> new Call("/api/v1/budgets",
                "{\"project\":\"" + PROJECT + "-" + java.util.UUID.randomUUID() + "\",\"monthly_limit\":5}"), 201, 404));
        rows.add(new Row("GET", "/api/v1/budgets/check", Scope.AUTHENTICATED,
                () -> new Call("/api/v1/budgets/check?project=" + PROJECT, null), 200, 404));
        rows.add(new Row("GET", "/api/v1/budgets/{id}", Scope.READ, () -> new Call("/api/v1/budgets/" + newBudgetId(), null), 200, 404));
        rows.add(new Row("DELETE", "/api/v1/budgets/{id}", Scope.ADMIN, () -> new Call("/api/v1/budgets/" + newBudgetId(), null), 204, 404));
        String hooks = "/api/v1/webhooks";
        rows.add(new Row("GET", hooks, Scope.ADMIN, () -> new Call(hooks, null), 200, 403));
        rows.add(new Row("POST", hooks, Scope.ADMIN, () -> new Call(hooks, NO_EVENTS_WEBHOOK), 201, 403));
        rows.add(new Row("GET", hooks + "/{id}", Scope.ADMIN, () -> new Call(hooks + "/" + newWebhookId(), null), 200, 403));
        rows.add(new Row("PATCH", hooks + "/{id}", Scope.ADMIN,
                () -> new Call(hooks + "/" + newWebhookId(), "{\"description\":\"patched\"}"), 200, 403));
        rows.add(new Row("DELETE", hooks + "/{id}", Scope.ADMIN, () -> new Call(hooks + "/" + newWebhookId(), null), 204, 403));
        rows.add(new Row("GET", hooks + "/{id}/deliveries", Scope.ADMIN,
                () -> new Call(hooks + "/" + newWebhookId() + "/deliveries", null), 200, 403));
        rows.add(new Row("GET", hooks + "/{id}/deliveries/{deliveryId}", Scope.ADMIN,
                () -> new Call(delivery(), null), 200, 403));
        rows.add(new Row("POST", hooks + "/{id}/deliveries/{deliveryId}/redeliver", Scope.ADMIN,
                () -> new Call(delivery() + "/redeliver", null), 202, 403));
        rows.add(new Row("POST", log, Scope.INGEST, () -> new Call(log, projectLog), 201, 404));
        // A batch is answered item by item: another project's item is rejected inside a 200.
        rows.add(new Row("POST", log + "/batch", Scope.INGEST, () -> new Call(log + "/batch", "{\"items\":[" + projectLog + "]}"), 200, 200));
        rows.add(new Row("GET", log, Scope.READ, () -> new Call(log + scoped, null), 200, 404));
        rows.add(new Row("GET", log + "/stats", Scope.READ, () -> new Call(log + "/stats" + scoped, null), 200, 404));
        rows.add(new Row("GET", log + "/export", Scope.READ, () -> new Call(log + "/export" + scoped, null), 200, 404));
        rows.add(new Row("GET", log + "/{id}", Scope.READ, () -> new Call(log + "/" + newLogId(), null), 200, 404));
        rows.add(new Row("DELETE", log + "/{id}", Scope.ADMIN, () -> new Call(log + "/" + newLogId(), null), 204, 404));
        // Prompts are studio-wide: a credential restricted to another project uses them like any other.
        String prompt = "matrix/prompt";
        rows.add(new Row("GET", "/api/v1/prompts", Scope.READ, () -> new Call("/api/v1/prompts?prefix=matrix/", null), 200, 200));
        String one = "/api/v1/prompts/<name>";
        rows.add(new Row("GET", one + "/versions", Scope.READ,
                () -> new Call("/api/v1/prompts/" + prompt() + "/versions", null), 200, 200));
        rows.add(new Row("GET", one, Scope.READ, () -> new Call("/api/v1/prompts/" + prompt(), null), 200, 200));
        rows.add(new Row("POST", one + "/versions", Scope.WRITE,
                () -> new Call("/api/v1/prompts/" + prompt + "/versions", "{\"template\":\"Hello {{who}}\",\"variables\":[\"who\"]}"),
                201, 201));
        rows.add(new Row("PUT", one + "/labels/{label}", Scope.WRITE,
                () -> new Call("/api/v1/prompts/" + prompt() + "/labels/production", "{\"version\":1}"), 200, 200));
        rows.add(new Row("DELETE", one + "/labels/{label}", Scope.WRITE,
                () -> new Call("/api/v1/prompts/" + newPrompt(false) + "/labels/staging", null), 204, 204));
        rows.add(new Row("POST", one + "/render", Scope.READ,
                () -> new Call("/api/v1/prompts/" + prompt() + "/render", "{\"variables\":{\"who\":\"matrix\"}}"), 200, 200));
        rows.add(new Row("GET", one + "/diff", Scope.READ,
                () -> new Call("/api/v1/prompts/" + prompt() + "/diff?from=1&to=1", null), 200, 200));
        rows.add(new Row("GET", one + "/usage", Scope.READ,
                () -> new Call("/api/v1/prompts/" + prompt() + "/usage", null), 200, 200));
        rows.add(new Row("POST", one + "/archive", Scope.WRITE,
                () -> new Call("/api/v1/prompts/" + newPrompt(false) + "/archive", null), 200, 200));
        rows.add(new Row("POST", one + "/unarchive", Scope.WRITE,
                () -> new Call("/api/v1/prompts/" + newPrompt(true) + "/unarchive", null), 200, 200));
        // The prompts' pages: a move posts a form and goes back to the prompt's page (303).
        rows.add(new Row("GET", "/prompts", Scope.READ, () -> new Call("/prompts?prefix=matrix/", null), 200, 200));
        rows.add(new Row("GET", "/prompts/<name>", Scope.READ, () -> new Call("/prompts/" + prompt(), null), 200, 200));
        rows.add(new Row("GET", "/prompts/<name>/diff", Scope.READ,
                () -> new Call("/prompts/" + prompt() + "/diff?from=1&to=1", null), 200, 200));
        rows.add(new Row("GET", "/prompts/<name>/render", Scope.READ,
                () -> new Call("/prompts/" + prompt() + "/render?render=1&var.who=matrix", null), 200, 200));
        rows.add(new Row("GET", "/prompts/<name>/usage", Scope.READ, () -> new Call("/prompts/" + prompt() + "/usage", null), 200, 200));
        rows.add(new Row("GET", "/prompts/<name>/labels", Scope.WRITE,
                () -> new Call("/prompts/" + prompt() + "/labels?label=production&version=1", null), 200, 200));
        rows.add(new Row("POST", "/prompts/<name>/labels", Scope.WRITE, () -> new Call("/prompts/" + prompt() + "/labels",
                "label=production&version=1", Map.of("Content-Type", "application/x-www-form-urlencoded")), 303, 303));
        String assets = "/api/v1/assets";
        rows.add(new Row("POST", assets, Scope.WRITE, () -> new Call(assets, "{\"name\":\"matrix.png\",\"kind\":\"image\","
                + "\"project\":\"" + PROJECT + "\",\"sha256\":\"" + pngBlob() + "\"}"), 201, 404));
        rows.add(new Row("GET", assets, Scope.READ, () -> new Call(assets + scoped, null), 200, 404));
        rows.add(new Row("GET", assets + "/{id}", Scope.READ, () -> new Call(assets + "/" + newAssetId(), null), 200, 404));
        rows.add(new Row("PATCH", assets + "/{id}", Scope.WRITE,
                () -> new Call(assets + "/" + newAssetId(), "{\"tags\":[\"matrix\"]}"), 200, 404));
        rows.add(new Row("DELETE", assets + "/{id}", Scope.WRITE, () -> new Call(assets + "/" + newAssetId(), null), 204, 404));
        rows.add(new Row("POST", assets + "/{id}/versions", Scope.WRITE,
                () -> new Call(assets + "/" + newAssetId() + "/versions", "{\"sha256\":\"" + pngBlob() + "\"}"), 201, 404));
        rows.add(new Row("POST", assets + "/{id}/restore", Scope.WRITE,
                () -> new Call(assets + "/" + newDeletedAssetId() + "/restore", null), 200, 404));
        rows.add(new Row("GET", assets + "/{id}/lineage", Scope.READ,
                () -> new Call(assets + "/" + newAssetId() + "/lineage", null), 200, 404));
        rows.add(new Row("GET", assets + "/{id}/used-by", Scope.READ,
                () -> new Call(assets + "/" + newAssetId() + "/used-by", null), 200, 404));
        rows.add(new Row("GET", assets + "/{id}/thumbnail", Scope.READ,
                () -> new Call(assets + "/" + newAssetId() + "/thumbnail", null), 200, 404));
        // Blobs are not per project: a credential restricted to another project may upload and read them.
        String blobs = "/api/v1/blobs";
        rows.add(new Row("POST", blobs + "/check", Scope.INGEST,
                () -> new Call(blobs + "/check", "{\"blobs\":[{\"sha256\":\"" + "0".repeat(64) + "\"}]}"), 200, 200));
        rows.add(new Row("PUT", blobs + "/{sha256}", Scope.INGEST, () -> {
            String body = "{\"matrix\":\"" + java.util.UUID.randomUUID() + "\"}";
            return new Call(blobs + "/" + sha256(body), body);
        }, 201, 201));
        rows.add(new Row("HEAD", blobs + "/{sha256}", Scope.READ, () -> new Call(blobs + "/" + storedBlob(), null), 200, 200));
        rows.add(new Row("GET", blobs + "/{sha256}", Scope.READ, () -> new Call(blobs + "/" + storedBlob(), null), 200, 200));
        String uploads = "/api/v1/uploads";
        Map<String, String> tus = Map.of("Tus-Resumable", "1.0.0");
        rows.add(new Row("OPTIONS", uploads, Scope.PUBLIC, () -> new Call(uploads, null), 204, 204));
        rows.add(new Row("POST", uploads, Scope.INGEST,
                () -> new Call(uploads, null, Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "5")), 201, 201));
        rows.add(new Row("HEAD", uploads + "/{id}", Scope.INGEST, () -> new Call(newUpload(), null, tus), 200, 200));
        rows.add(new Row("PATCH", uploads + "/{id}", Scope.INGEST, () -> new Call(newUpload(), "hello", Map.of(
                "Tus-Resumable", "1.0.0", "Upload-Offset", "0", "Content-Type", "application/offset+octet-stream")), 204, 204));
        rows.add(new Row("DELETE", uploads + "/{id}", Scope.INGEST, () -> new Call(newUpload(), null, tus), 204, 204));
        // Projects: another project's credential sees none of this one (404), and may not import it (403).
        String projects = "/api/v1/projects";
        String oneProject = projects + "/{id}";
        rows.add(new Row("POST", projects + "/import", Scope.WRITE, () -> {
            String name = PROJECT + "-" + java.util.UUID.randomUUID();
            return new Call(projects + "/import?message=matrix", projectMultipart(name),
                    Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY));
        }, 201, 403));
        rows.add(new Row("GET", projects, Scope.READ, () -> new Call(projects + "?q=" + PROJECT, null), 200, 200));
        rows.add(new Row("GET", oneProject, Scope.READ, () -> new Call(projects + "/" + newProjectId(), null), 200, 404));
        rows.add(new Row("DELETE", oneProject, Scope.ADMIN, () -> new Call(projects + "/" + newProjectId(), null), 204, 404));
        rows.add(new Row("GET", oneProject + "/revisions", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/revisions", null), 200, 404));
        // The same manifest as the head: a push that changes nothing (200).
        rows.add(new Row("POST", oneProject + "/revisions", Scope.WRITE, () -> new Call(projects + "/" + newProjectId()
                + "/revisions", "{\"baseRevision\":1,\"message\":\"matrix\",\"files\":" + projectManifest() + "}"), 200, 404));
        rows.add(new Row("GET", oneProject + "/revisions/{revision}", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/revisions/1", null), 200, 404));
        rows.add(new Row("GET", oneProject + "/changes", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/changes?base=1", null), 200, 404));
        rows.add(new Row("GET", oneProject + "/export", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/export", null), 200, 404));
        rows.add(new Row("GET", oneProject + "/files/<path>", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/files/project.json", null), 200, 404));
        rows.add(new Row("POST", oneProject + "/missing", Scope.WRITE, () -> new Call(projects + "/" + newProjectId()
                + "/missing", "{\"baseRevision\":1,\"files\":" + projectManifest() + "}"), 200, 404));
        rows.add(new Row("PUT", oneProject + "/blobs/{sha256}", Scope.WRITE, () -> {
            String body = "{\"matrix file\":\"" + java.util.UUID.randomUUID() + "\"}";
            return new Call(projects + "/" + newProjectId() + "/blobs/" + sha256(body), body);
        }, 201, 404));
        rows.add(new Row("POST", oneProject + "/archive", Scope.ADMIN,
                () -> new Call(projects + "/" + newProjectId() + "/archive", null), 200, 404));
        rows.add(new Row("POST", oneProject + "/unarchive", Scope.ADMIN, () -> {
            String id = newProjectId();
            assertThat(server.call(TestServer.TOKEN, "POST", projects + "/" + id + "/archive", null).status()).isEqualTo(200);
            return new Call(projects + "/" + id + "/unarchive", null);
        }, 200, 404));
        rows.add(new Row("POST", oneProject + "/restore", Scope.ADMIN, () -> {
            String id = newProjectId();
            assertThat(server.call(TestServer.TOKEN, "DELETE", projects + "/" + id, null).status()).isEqualTo(204);
            return new Call(projects + "/" + id + "/restore", null);
        }, 200, 404));
        // Projects' structured view: likewise.
        rows.add(new Row("GET", oneProject + "/scenes", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/scenes", null), 200, 404));
        rows.add(new Row("GET", oneProject + "/scenes/{scene}/shots", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/scenes/0001_SCENE_001/shots", null), 200, 404));
        rows.add(new Row("GET", oneProject + "/shots/{uuid}", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/shots/s1", null), 200, 404));
        rows.add(new Row("GET", oneProject + "/diff", Scope.READ,
                () -> new Call(projects + "/" + newProjectId() + "/diff", null), 200, 404));
        rows.add(new Row("GET", "/api/v1/shots", Scope.READ, () -> new Call("/api/v1/shots" + scoped + "&q=SHOT_0010", null), 200, 404));
        // The dashboard's pages: a signed-out visitor is sent to sign in (303), a refusal is an HTML page.
        rows.add(new Row("GET", "/", Scope.AUTHENTICATED, () -> new Call("/", null), 200, 200));
        rows.add(new Row("GET", "/static/<path>", Scope.AUTHENTICATED, () -> new Call(staticFile(), null), 200, 200));
        // Prompt history's pages: another project's credential naming this project gets a 404 page, as in the API.
        rows.add(new Row("GET", "/history", Scope.READ, () -> new Call("/history" + scoped, null), 200, 404));
        rows.add(new Row("GET", "/history/rows", Scope.READ, () -> new Call("/history/rows" + scoped, null), 200, 404));
        rows.add(new Row("GET", "/history/live", Scope.READ,
                () -> new Call("/history/live" + scoped + "&ids=" + newLogId(), null), 200, 404));
        rows.add(new Row("GET", "/history/{id}", Scope.READ, () -> new Call("/history/" + newLogId(), null), 200, 404));
        // Its overview panels: another project's credential sees its own figures (none of this project's).
        rows.add(new Row("GET", "/history/overview/costs", Scope.READ, () -> new Call("/history/overview/costs", null), 200, 200));
        rows.add(new Row("GET", "/history/overview/top", Scope.READ, () -> new Call("/history/overview/top", null), 200, 200));
        // The asset pages: likewise.
        rows.add(new Row("GET", "/assets", Scope.READ, () -> new Call("/assets" + scoped, null), 200, 404));
        rows.add(new Row("GET", "/assets/more", Scope.READ, () -> new Call("/assets/more" + scoped, null), 200, 404));
        rows.add(new Row("GET", "/assets/{id}", Scope.READ, () -> new Call("/assets/" + newAssetId(), null), 200, 404));
        // The project pages: another project's credential gets a 404 page for this project; the list and the
        // overview's panel show it its own projects (none of this one).
        rows.add(new Row("GET", "/projects", Scope.READ, () -> new Call("/projects", null), 200, 200));
        rows.add(new Row("GET", "/projects/more", Scope.READ, () -> new Call("/projects/more?limit=1", null), 200, 200));
        rows.add(new Row("GET", "/projects/panel", Scope.READ, () -> new Call("/projects/panel", null), 200, 200));
        String projectPage = "/projects/{id}";
        rows.add(new Row("GET", projectPage, Scope.READ, () -> new Call("/projects/" + newProjectId(), null), 200, 404));
        rows.add(new Row("GET", projectPage + "/revisions", Scope.READ,
                () -> new Call("/projects/" + newProjectId() + "/revisions", null), 200, 404));
        rows.add(new Row("GET", projectPage + "/revisions/{revision}", Scope.READ,
                () -> new Call("/projects/" + newProjectId() + "/revisions/1", null), 200, 404));
        rows.add(new Row("GET", projectPage + "/scenes", Scope.READ,
                () -> new Call("/projects/" + newProjectId() + "/scenes?revision=1", null), 200, 404));
        rows.add(new Row("GET", projectPage + "/scenes/more", Scope.READ,
                () -> new Call("/projects/" + newProjectId() + "/scenes/more?revision=1&from=0001_SCENE_001", null), 200, 404));
        // The admin pages (server-wide): a change answers 303 to its list (a new token: 201, the page showing it once).
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        rows.add(new Row("GET", "/admin", Scope.ADMIN, () -> new Call("/admin", null), 303, 403));
        rows.add(new Row("GET", "/admin/tokens", Scope.ADMIN, () -> new Call("/admin/tokens", null), 200, 403));
        rows.add(new Row("GET", "/admin/tokens/rows", Scope.ADMIN, () -> new Call("/admin/tokens/rows?state=all", null), 200, 403));
        rows.add(new Row("GET", "/admin/tokens/new", Scope.ADMIN, () -> new Call("/admin/tokens/new", null), 200, 403));
        rows.add(new Row("POST", "/admin/tokens", Scope.ADMIN,
                () -> new Call("/admin/tokens", "name=matrix+page&scopes=read", form), 201, 403));
        rows.add(new Row("POST", "/admin/tokens/{id}/revoke", Scope.ADMIN,
                () -> new Call("/admin/tokens/" + newTokenId() + "/revoke", "", form), 303, 403));
        rows.add(new Row("GET", "/admin/users", Scope.ADMIN, () -> new Call("/admin/users", null), 200, 403));
        rows.add(new Row("GET", "/admin/users/rows", Scope.ADMIN, () -> new Call("/admin/users/rows", null), 200, 403));
        rows.add(new Row("GET", "/admin/users/new", Scope.ADMIN, () -> new Call("/admin/users/new", null), 200, 403));
        rows.add(new Row("POST", "/admin/users", Scope.ADMIN, () -> new Call("/admin/users", "username=p"
                + java.util.UUID.randomUUID().toString().substring(0, 18) + "&role=viewer&password=" + PASSWORD.replace(' ', '+'), form),
                303, 403));
        rows.add(new Row("POST", "/admin/users/{id}", Scope.ADMIN,
                () -> new Call("/admin/users/" + newUserId(), "role=editor", form), 303, 403));
        rows.add(new Row("GET", "/admin/audit", Scope.ADMIN, () -> new Call("/admin/audit?action=token.*", null), 200, 403));
        rows.add(new Row("GET", "/admin/audit/rows", Scope.ADMIN, () -> new Call("/admin/audit/rows?action=user.*", null), 200, 403));
        // The event log, webhooks (server-wide admins) and budgets pages.
        rows.add(new Row("GET", "/events", Scope.READ, () -> new Call("/events", null), 200, 200));
        rows.add(new Row("GET", "/events/live", Scope.READ, () -> new Call("/events/live", null), 200, 200));
        rows.add(new Row("GET", "/events/panel", Scope.READ, () -> new Call("/events/panel", null), 200, 200));
        rows.add(new Row("GET", "/webhooks", Scope.ADMIN, () -> new Call("/webhooks", null), 200, 403));
        rows.add(new Row("GET", "/webhooks/{id}", Scope.ADMIN, () -> new Call("/webhooks/" + newWebhookId(), null), 200, 403));
        rows.add(new Row("POST", "/webhooks/{id}/deliveries/{deliveryId}/redeliver", Scope.ADMIN,
                () -> new Call(delivery().substring("/api/v1".length()) + "/redeliver", null), 303, 403));
        rows.add(new Row("GET", "/budgets", Scope.READ, () -> new Call("/budgets", null), 200, 200));
        rows.add(new Row("POST", "/budgets", Scope.ADMIN, () -> new Call("/budgets", "project=" + PROJECT + "&monthly_limit=5",
                Map.of("Content-Type", "application/x-www-form-urlencoded")), 303, 404));
        rows.add(new Row("GET", "/budgets/panel", Scope.READ, () -> new Call("/budgets/panel", null), 200, 200));
        rows.add(new Row("GET", "/budgets/{id}", Scope.READ, () -> new Call("/budgets/" + newBudgetId(), null), 200, 404));
        return rows;
    }

    @Test
    void theTableNamesEveryRegisteredRouteWithItsScope() {
        Set<String> registered = new TreeSet<>();
        for (Api.Route r : server.app().routes()) registered.add(r.method() + " " + r.path() + " " + r.scope());
        Set<String> tabled = new TreeSet<>();
        for (Row r : table()) tabled.add(r.method() + " " + r.path() + " " + r.scope());
        assertThat(tabled).containsExactlyElementsOf(registered);
    }

    @Test
    void everyRouteAnswersEveryCredentialWithTheExactStatus() {
        SoftAssertions soft = new SoftAssertions();
        for (Row row : table()) {
            for (Map.Entry<String, String> c : credentials.entrySet()) {
                Call call = row.call().get();
                TestServer.Response r = row.path().endsWith("/stream") || row.path().equals("/events/live") ? server.open(c.getValue(), call.path())
                        : call.headers().isEmpty() ? server.call(c.getValue(), row.method(), call.path(), call.body())
                        : withHeaders(c.getValue(), row.method(), call);
                int expected = expected(row, c.getKey());
                soft.assertThat(r.status()).as(row.method() + " " + row.path() + " with " + c.getKey() + ": " + r.body())
                        .isEqualTo(expected);
                if (expected == 401) soft.assertThat(r.header("WWW-Authenticate")).as("401 challenge").startsWith("Bearer");
                String what = row.method() + " " + row.path() + " with " + c.getKey();
                // A page that answers 303 itself (a form's post) sends a signed-in credential elsewhere, never to sign in.
                boolean signedOut = Set.of("no token", "expired", "revoked", "unknown").contains(c.getKey());
                if (expected == 303) soft.assertThat(r.header("Location")).as(what)
                        .matches(l -> l.startsWith("/login?next=") == (signedOut || row.ok() != 303), "sign-in only when signed out");
                soft.assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
                soft.assertThat(r.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
                soft.assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
                soft.assertThat(r.header("Content-Security-Policy")).as(what).contains("frame-ancestors 'none'");
                soft.assertThat(r.header("X-Request-Id")).as(what).isNotBlank();
                if (expected >= 400 && page(row)) {
                    soft.assertThat(r.header("Content-Type")).as(what).startsWith("text/html");
                    soft.assertThat(r.body()).as(what).contains(String.valueOf(expected));
                } else if (expected >= 400 && !row.method().equals("HEAD")) { // a HEAD answer has no body
                    soft.assertThat(r.json().get("error").asText()).as(row.path() + " error code").isNotEmpty();
                }
            }
        }
        soft.assertAll();
    }

    /** Whether a route is a page of the dashboard (it answers HTML, and sends signed-out visitors to sign in). */
    private static boolean page(Row row) {
        return RouteAccess.of(row.method(), row.path()).orElseThrow().page();
    }

    /** The URL of the dashboard's stylesheet, with its hash, as the overview links it. */
    private static String staticFile() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/static/[0-9a-f]+/web/app\\.css")
                .matcher(server.call(TestServer.TOKEN, "GET", "/", null).body());
        assertThat(m.find()).as("the overview links its stylesheet").isTrue();
        return m.group();
    }

    private static int expected(Row row, String credential) {
        if (row.scope() == Scope.PUBLIC) return row.ok();
        switch (credential) {
            case "no token", "expired", "revoked", "unknown":
                return page(row) ? 303 : 401;
            case "AUTH_TOKEN", "admin":
                return row.ok();
            case "wrong project":
                return row.wrongProject();
            default:
                if (row.scope() == Scope.AUTHENTICATED) return row.ok();
                return row.scope().id().equals(credential) ? row.ok() : 403;
        }
    }

    private static String newLogId() {
        TestServer.Response r = server.postJson("/api/v1/prompt-history",
                "{\"type\":\"matrix\",\"projectId\":\"" + PROJECT + "\"}");
        return r.json().get("id").asText();
    }

    private static final String PASSWORD = "correct horse battery staple";

    private static String newUserJson() {
        return "{\"username\":\"m" + java.util.UUID.randomUUID().toString().substring(0, 18)
                + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"viewer\"}";
    }

    private static String newUserId() {
        TestServer.Response r = server.call(TestServer.TOKEN, "POST", "/api/v1/users", newUserJson());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** The name of a prompt with a version 1 that uses {{who}} (made once). */
    private static synchronized String prompt() {
        String name = "matrix/prompt";
        if (server.call(TestServer.TOKEN, "GET", "/api/v1/prompts/" + name + "?version=1", null).status() == 404) {
            assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/prompts/" + name + "/versions",
                    "{\"template\":\"Hello {{who}}\",\"variables\":[\"who\"]}").status()).isEqualTo(201);
        }
        return name;
    }

    /** A new prompt with a version 1 labelled staging, archived or not. */
    private static String newPrompt(boolean archived) {
        String name = "matrix/p-" + java.util.UUID.randomUUID();
        assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/prompts/" + name + "/versions",
                "{\"template\":\"Hi\"}").status()).isEqualTo(201);
        assertThat(server.call(TestServer.TOKEN, "PUT", "/api/v1/prompts/" + name + "/labels/staging",
                "{\"version\":1}").status()).isEqualTo(200);
        if (archived) {
            assertThat(server.call(TestServer.TOKEN, "POST", "/api/v1/prompts/" + name + "/archive", null).status())
                    .isEqualTo(200);
        }
        return name;
    }

    private static String newBudgetId() {
        return server.call(TestServer.TOKEN, "POST", "/api/v1/budgets", "{\"project\":\"" + PROJECT + "-"
                + java.util.UUID.randomUUID() + "\",\"monthly_limit\":5}").json().get("id").asText();
    }

    /** A subscription that matches no event (nothing is ever sent to the closed port it names). */
    private static final String NO_EVENTS_WEBHOOK = "{\"url\":\"http://127.0.0.1:9/matrix\",\"types\":[\"matrix.none\"]}";
    private static String deliveryPath;

    private static String newWebhookId() {
        return server.call(TestServer.TOKEN, "POST", "/api/v1/webhooks", NO_EVENTS_WEBHOOK).json().get("id").asText();
    }

    /** The path of a real delivery (made once): a log of the project, fanned out to a subscription for it. */
    private static synchronized String delivery() {
        if (deliveryPath != null) return deliveryPath;
        String id = server.call(TestServer.TOKEN, "POST", "/api/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/matrix\",\"project\":\"" + PROJECT + "\"}").json().get("id").asText();
        newLogId();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var items = server.call(TestServer.TOKEN, "GET", "/api/v1/webhooks/" + id + "/deliveries", null).json().get("items");
            if (items.size() > 0) {
                deliveryPath = "/api/v1/webhooks/" + id + "/deliveries/" + items.get(0).get("id").asText();
                return deliveryPath;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no delivery was made for the matrix webhook");
    }

    private static String pngBlob;

    /** A small PNG stored once as a blob. */
    private static synchronized String pngBlob() {
        if (pngBlob != null) return pngBlob;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(img, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        byte[] png = out.toByteArray();
        String sha = sha256(png);
        TestServer.Response r = server.send(server.request("/api/v1/blobs/" + sha)
                .header("Content-Type", "application/octet-stream").PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(png)).build());
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        pngBlob = sha;
        return sha;
    }

    private static String newAssetId() {
        TestServer.Response r = server.call(TestServer.TOKEN, "POST", "/api/v1/assets", "{\"name\":\"matrix.png\","
                + "\"kind\":\"image\",\"project\":\"" + PROJECT + "\",\"sha256\":\"" + pngBlob() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String newDeletedAssetId() {
        String id = newAssetId();
        assertThat(server.call(TestServer.TOKEN, "DELETE", "/api/v1/assets/" + id, null).status()).isEqualTo(204);
        return id;
    }

    private static TestServer.Response withHeaders(String token, String method, Call call) {
        java.net.http.HttpRequest.Builder b = server.anonymous(call.path());
        if (token != null) b.header("Authorization", "Bearer " + token);
        call.headers().forEach(b::header);
        b.method(method, call.body() == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(call.body()));
        return server.send(b.build());
    }

    private static String sha256(String body) {
        return sha256(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String storedBlobSha;

    private static synchronized String storedBlob() {
        if (storedBlobSha == null) {
            String body = "matrix blob";
            storedBlobSha = sha256(body);
            TestServer.Response r = server.call(TestServer.TOKEN, "PUT", "/api/v1/blobs/" + storedBlobSha, body);
            assertThat(r.status()).as(r.body()).isIn(200, 201);
        }
        return storedBlobSha;
    }

    /** A fresh 5-byte resumable upload's path. */
    private static String newUpload() {
        TestServer.Response r = server.send(server.request("/api/v1/uploads").header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "5").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.header("Location");
    }

    private static final String BOUNDARY = "matrixBoundary7MA4YWxkTrZu0gW";
    private static final String PROJECT_SCENE = "[{\"uuid\":\"s1\",\"name\":\"SHOT_0010\",\"panels\":[]}]";

    private static String projectJson(String name) {
        return "{\"projectName\":\"" + name + "\",\"fps\":24}";
    }

    /** A two-file project (project.json and one scene) as a multipart import body. */
    private static String projectMultipart(String name) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"project.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + projectJson(name) + "\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scenes/0001_SCENE_001.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + PROJECT_SCENE + "\r\n--" + BOUNDARY + "--\r\n";
    }

    /** A new project of the matrix's project (named PROJECT, after deleting the last one of that name). */
    private static synchronized String newProjectId() {
        for (String archived : List.of("false", "true")) {
            String live = server.call(TestServer.TOKEN, "GET", "/api/v1/projects?q=" + PROJECT + "&limit=500&archived="
                    + archived, null).body();
            for (var item : parse(live).get("items")) {
                if (item.get("name").asText().equals(PROJECT)) {
                    assertThat(server.call(TestServer.TOKEN, "DELETE", "/api/v1/projects/" + item.get("id").asText(), null)
                            .status()).isEqualTo(204);
                }
            }
        }
        TestServer.Response r = server.send(server.request("/api/v1/projects/import")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(projectMultipart(PROJECT))).build());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** The manifest of the project {@link #newProjectId} imports. */
    private static String projectManifest() {
        String json = projectJson(PROJECT);
        return "[{\"path\":\"project.json\",\"sha256\":\"" + sha256(json) + "\",\"size\":" + json.length()
                + "},{\"path\":\"scenes/0001_SCENE_001.json\",\"sha256\":\"" + sha256(PROJECT_SCENE) + "\",\"size\":"
                + PROJECT_SCENE.length() + "}]";
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return storyboard.kernel.Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String newTokenId() {
        return server.call(TestServer.TOKEN, "POST", "/api/v1/tokens", "{\"name\":\"matrix target\",\"scopes\":[\"read\"]}")
                .json().get("id").asText();
    }
}
