package storyboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Text a request carries that may reach SQL, checked once for every route: PostgreSQL's text and jsonb cannot hold
 * NUL, and text that is not UTF-8 would be stored as replacement characters. Both are 400s naming where they were.
 */
public final class RequestText {
    private RequestText() {}

    /** The raw (still percent-encoded) query string: every name and value must decode to UTF-8 without NUL. */
    public static void checkQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return;
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decodeOrNull(rawName);
            String shown = name == null || name.indexOf('\0') >= 0 ? printable(rawName) : name;
            if (name == null || (eq >= 0 && decodeOrNull(pair.substring(eq + 1)) == null)) {
                throw ApiException.badRequest("invalid_parameter",
                        "query parameter '" + shown + "' is not valid UTF-8", shown);
            }
            if (name.indexOf('\0') >= 0 || (eq >= 0 && decodeOrNull(pair.substring(eq + 1)).indexOf('\0') >= 0)) {
                throw ApiException.badRequest("invalid_parameter",
                        "query parameter '" + shown + "' must not contain NUL characters", shown);
            }
        }
    }

    /** A parsed JSON body: no string and no field name anywhere in it may hold NUL (field: the top-level one). */
    public static void checkJson(JsonNode root) {
        if (root == null || !root.isContainerNode()) {
            if (root != null && root.isTextual() && root.textValue().indexOf('\0') >= 0) throw nul(null);
            return;
        }
        if (root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().indexOf('\0') >= 0) throw nul(printable(e.getKey()));
                if (containsNul(e.getValue())) throw nul(e.getKey());
            }
        } else if (containsNul(root)) {
            throw nul(null);
        }
    }

    private static boolean containsNul(JsonNode node) {
        // An explicit stack: a deeply nested body must not overflow the request thread's stack.
        java.util.ArrayDeque<JsonNode> todo = new java.util.ArrayDeque<>();
        todo.push(node);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isTextual()) {
                if (n.textValue().indexOf('\0') >= 0) return true;
            } else if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().indexOf('\0') >= 0) return true;
                    todo.push(e.getValue());
                }
            } else if (n.isArray()) {
                n.forEach(todo::push);
            }
        }
        return false;
    }

    private static ApiException nul(String field) {
        return ApiException.badRequest("invalid_field", field == null ? "the body must not contain NUL characters"
                : "'" + field + "' must not contain NUL characters", field);
    }

    /** Percent-decodes (and '+' as space) to strict UTF-8; null when the bytes are not UTF-8 or an escape is broken. */
    static String decodeOrNull(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) return null;
                int hi = Character.digit(raw.charAt(i + 1), 16), lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // Already-decoded text (a client that sent raw UTF-8): it is a Java string, so it is text.
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A name for an error message: escapes and control characters shown as escapes, at most 64 characters. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
