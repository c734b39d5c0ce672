package storyboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import storyboard.support.Contract;
import storyboard.support.TestServer;

/** A token restricted to projects sees and changes only their data; everything else is a 404. */
class ProjectRestrictionTest {
    private final TestServer server = TestServer.shared();
    private final String admin = TestServer.TOKEN;
    private final String mine = "proj-" + UUID.randomUUID();
    private final String theirs = "proj-" + UUID.randomUUID();

    @Test
    void aDesktopIngestTokenForOneProjectLogsTheAppsPayloadsIntoItAndReadsNothing() throws Exception {
        String ingest = server.createToken("{\"name\":\"desktop\",\"scopes\":[\"ingest\"],\"projects\":[\"" + mine + "\"]}");
        // The B-Line app sends no project yet: its log is attributed to the token's one project.
        TestServer.Response stored = server.send(server.anonymous("/api/v1/prompt-history")
                .header("Authorization", "Bearer " + ingest).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Contract.promptLog("v3_shots.json"))).build());
        assertThat(stored.status()).isEqualTo(201);
        String id = stored.json().get("id").asText();
        JsonNode listed = server.call(admin, "GET", "/api/v1/prompt-history?project=" + mine, null).json().get("items");
        assertThat(listed).extracting(n -> n.get("id").asText()).containsExactly(id);
        // What the client sent stays as sent: no projectId was added to the record.
        assertThat(server.call(admin, "GET", "/api/v1/prompt-history/" + id, null).json().has("projectId")).isFalse();

        TestServer.Response other = server.call(ingest, "POST", "/api/v1/prompt-history",
                "{\"type\":\"shots\",\"projectId\":\"" + theirs + "\"}");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("error").asText()).isEqualTo("not_found");
        TestServer.Response viaContext = server.call(ingest, "POST", "/api/v1/prompt-history",
                "{\"type\":\"shots\",\"context\":{\"projectId\":\"" + theirs + "\"}}");
        assertThat(viaContext.status()).isEqualTo(404);
        assertThat(server.call(ingest, "POST", "/api/v1/prompt-history",
                "{\"type\":\"shots\",\"projectId\":\"" + mine + "\"}").status()).isEqualTo(201);

        assertThat(server.call(ingest, "GET", "/api/v1/prompt-history", null).status()).isEqualTo(403);
        assertThat(server.call(ingest, "GET", "/api/v1/prompt-history/" + id, null).status()).isEqualTo(403);
        assertThat(server.call(ingest, "GET", "/api/v1/prompt-history/stats", null).status()).isEqualTo(403);
        assertThat(server.call(ingest, "GET", "/api/v1/prompt-history/export", null).status()).isEqualTo(403);
    }

    @Test
    void batchItemsOfOtherProjectsAreRejectedOneByOne() {
        String ingest = server.createToken("{\"name\":\"desktop\",\"scopes\":[\"ingest\"],\"projects\":[\"" + mine + "\"]}");
        TestServer.Response r = server.call(ingest, "POST", "/api/v1/prompt-history/batch", "{\"items\":["
                + "{\"type\":\"a\"},{\"type\":\"b\",\"projectId\":\"" + theirs + "\"},{\"type\":\"c\",\"projectId\":\"" + mine + "\"}]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("created");
        assertThat(results.get(1).get("status").asText()).isEqualTo("rejected");
        assertThat(results.get(1).get("error").get("error").asText()).isEqualTo("not_found");
        assertThat(results.get(2).get("status").asText()).isEqualTo("created");
        assertThat(r.json().get("created").asInt()).isEqualTo(2);
    }

    @Test
    void aTokenForSeveralProjectsMustNameOne() {
        String ingest = server.createToken("{\"name\":\"pipeline\",\"scopes\":[\"ingest\"],\"projects\":[\"" + mine
                + "\",\"" + theirs + "\"]}");
        TestServer.Response r = server.call(ingest, "POST", "/api/v1/prompt-history", "{\"type\":\"shots\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("project_required");
        assertThat(r.json().get("field").asText()).isEqualTo("projectId");
        assertThat(server.call(ingest, "POST", "/api/v1/prompt-history",
                "{\"type\":\"shots\",\"projectId\":\"" + theirs + "\"}").status()).isEqualTo(201);
    }

    @Test
    void aRestrictedReaderSeesOnlyItsProjectsInListsStatsExportsAndSingleReads() {
        String mineId = post(mine, "restricted-reader-probe");
        String theirsId = post(theirs, "restricted-reader-probe");
        String noProjectId = server.postJson("/api/v1/prompt-history", "{\"type\":\"restricted-reader-probe\"}").json().get("id").asText();
        String reader = server.createToken("{\"name\":\"dashboard\",\"scopes\":[\"read\",\"write\"],\"projects\":[\"" + mine + "\"]}");

        JsonNode items = server.call(reader, "GET", "/api/v1/prompt-history?type=restricted-reader-probe", null).json().get("items");
        assertThat(ids(items)).containsExactly(mineId);
        assertThat(server.call(admin, "GET", "/api/v1/prompt-history?type=restricted-reader-probe", null).json().get("items"))
                .hasSize(3);

        TestServer.Response other = server.call(reader, "GET", "/api/v1/prompt-history?project=" + theirs, null);
        assertThat(other.status()).isEqualTo(404);
        assertThat(server.call(reader, "GET", "/api/v1/prompt-history?project=" + mine, null).status()).isEqualTo(200);

        assertThat(server.call(reader, "GET", "/api/v1/prompt-history/" + mineId, null).status()).isEqualTo(200);
        assertThat(server.call(reader, "GET", "/api/v1/prompt-history/" + theirsId, null).status()).isEqualTo(404);
        assertThat(server.call(reader, "GET", "/api/v1/prompt-history/" + noProjectId, null).status()).isEqualTo(404);

        JsonNode stats = server.call(reader, "GET", "/api/v1/prompt-history/stats?group_by=project&type=restricted-reader-probe", null).json();
        assertThat(stats.get("totals").get("count").asInt()).isEqualTo(1);
        assertThat(stats.get("groups").get(0).get("key").asText()).isEqualTo(mine);
        assertThat(server.call(reader, "GET", "/api/v1/prompt-history/stats?project=" + theirs, null).status()).isEqualTo(404);

        String export = server.call(reader, "GET", "/api/v1/prompt-history/export?format=jsonl&type=restricted-reader-probe", null).body();
        assertThat(export.lines().toList()).hasSize(1).allSatisfy(line -> assertThat(line).contains(mineId));
    }

    @Test
    void aRestrictedAdminCannotDeleteAnotherProjectsLog() {
        String theirsId = post(theirs, "restricted-admin-probe");
        String mineId = post(mine, "restricted-admin-probe");
        String projectAdmin = server.createToken("{\"name\":\"lead\",\"scopes\":[\"admin\"],\"projects\":[\"" + mine + "\"]}");
        assertThat(server.call(projectAdmin, "DELETE", "/api/v1/prompt-history/" + theirsId, null).status()).isEqualTo(404);
        assertThat(server.call(admin, "GET", "/api/v1/prompt-history/" + theirsId, null).status()).isEqualTo(200);
        assertThat(server.call(projectAdmin, "DELETE", "/api/v1/prompt-history/" + mineId, null).status()).isEqualTo(204);
        assertThat(server.call(admin, "GET", "/api/v1/prompt-history/" + mineId, null).status()).isEqualTo(404);
        JsonNode events = server.call(admin, "GET", "/api/v1/audit?action=prompt_log.deleted&target_id=" + mineId, null).json().get("items");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("details").get("project").asText()).isEqualTo(mine);
        assertThat(events.get(0).get("actor").get("name").asText()).isEqualTo("lead");
    }

    private String post(String project, String type) {
        TestServer.Response r = server.postJson("/api/v1/prompt-history",
                "{\"type\":\"" + type + "\",\"projectId\":\"" + project + "\"}");
        assertThat(r.status()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }
}
