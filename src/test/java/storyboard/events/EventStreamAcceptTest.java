package storyboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import storyboard.kernel.Json;
import storyboard.support.TestServer;

/**
 * {@code GET /api/v1/events/stream} as curl and browsers call it, read off a plain socket: every Accept that allows
 * {@code text/event-stream} (none, {@code *}{@code /*}, lists, {@code text/*}) gets the live stream with each header
 * once; one that excludes it gets a JSON 406.
 */
class EventStreamAcceptTest {
    private final TestServer server = TestServer.shared();

    /** The status line, the header lines as sent (repeats kept), and the socket to read the body from. */
    private record RawResponse(int status, List<String[]> headers, Socket socket, InputStream body) {
        List<String> values(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }
    }

    private RawResponse open(String accept) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.app().port());
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder("GET /api/v1/events/stream?types=prompt_log.created HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Authorization: Bearer ").append(TestServer.TOKEN).append("\r\n");
        if (accept != null) request.append("Accept: ").append(accept).append("\r\n");
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        List<String[]> headers = new ArrayList<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
        }
        return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, socket, in);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new IOException("the answer ended mid-line: " + b.toString(StandardCharsets.UTF_8));
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The body's text as it arrives (chunked or not) until it contains {@code wanted}, failing after ten seconds. */
    private static String readUntil(RawResponse r, String wanted) throws IOException {
        boolean chunked = r.values("Transfer-Encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
        StringBuilder text = new StringBuilder();
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            while (!text.toString().contains(wanted)) {
                if (System.nanoTime() > deadline) break;
                if (chunked) {
                    int size = Integer.parseInt(line(r.body()).split(";")[0].trim(), 16);
                    if (size == 0) break;
                    text.append(new String(r.body().readNBytes(size), StandardCharsets.UTF_8));
                    line(r.body());
                } else {
                    byte[] buf = new byte[4096];
                    int n = r.body().read(buf);
                    if (n < 0) break;
                    text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (SocketTimeoutException e) {
            // reported below with what did arrive
        }
        assertThat(text.toString()).as("the stream's text").contains(wanted);
        return text.toString();
    }

    @ParameterizedTest(name = "Accept: {0}")
    @NullSource
    @ValueSource(strings = {"*/*", "text/event-stream", "text/event-stream, */*;q=0.1", "text/*",
            "application/json;q=0.9, text/event-stream", "TEXT/EVENT-STREAM;charset=utf-8"})
    void streamsForEveryAcceptThatAllowsEventStreams(String accept) throws Exception {
        RawResponse r = open(accept);
        try (Socket ignored = r.socket()) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.values("Content-Type")).hasSize(1);
            assertThat(r.values("Content-Type").get(0)).startsWith("text/event-stream");
            assertThat(r.values("Cache-Control")).containsExactly("no-cache");
            assertThat(r.values("X-Accel-Buffering")).containsExactly("no");
            assertThat(r.values("Content-Length")).isEmpty();
            // no header at all is sent twice
            assertThat(r.headers().stream().map(h -> h[0].toLowerCase(Locale.ROOT)).toList()).doesNotHaveDuplicates();
            readUntil(r, ": connected\n");

            String marker = "stream-" + UUID.randomUUID();
            String id = server.postJson("/api/v1/prompt-history", "{\"type\":\"shots\",\"prompt\":\"" + marker + "\"}")
                    .json().get("id").asText();
            String text = readUntil(r, id);
            String event = text.substring(text.lastIndexOf("id: ", text.indexOf(id)));
            event = event.substring(0, event.indexOf("\n\n"));
            assertThat(event).contains("event: prompt_log.created\n");
            JsonNode data = Json.MAPPER.readTree(event.substring(event.indexOf("data: ") + 6));
            assertThat(data.get("subject_id").asText()).isEqualTo(id);
            assertThat(data.get("type").asText()).isEqualTo("prompt_log.created");
        }
    }

    @ParameterizedTest(name = "Accept: {0}")
    @ValueSource(strings = {"application/json", "text/html, application/xhtml+xml", "text/event-stream;q=0, */*",
            "text/*;q=0", "image/*"})
    void anAcceptThatExcludesEventStreamsIsAJson406(String accept) throws Exception {
        TestServer.Response r = server.send(server.request("/api/v1/events/stream").header("Accept", accept).GET().build());
        assertThat(r.status()).isEqualTo(406);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode error = r.json();
        assertThat(error.get("error").asText()).isEqualTo("not_acceptable");
        assertThat(error.get("message").asText()).contains("text/event-stream").contains(accept);
        assertThat(error.has("field")).isTrue();
    }
}
