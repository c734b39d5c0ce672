package storyboard.promptlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import storyboard.kernel.Json;

/**
 * Prompts and responses as a person reads them: a text that is a JSON object or array becomes a tree of foldable
 * nodes; Markdown code fences become code blocks (a fenced JSON block a tree too); the rest stays text. This only
 * splits the text: the templates write every piece HTML-escaped.
 */
public final class Readable {
    /** Beyond this many nodes a JSON value is shown as indented text rather than a tree of folds. */
    static final int MAX_TREE_NODES = 4000;
    /** Beyond this depth the rest of a value is shown as indented text. */
    static final int MAX_TREE_DEPTH = 40;
    /** A fence: up to three spaces, three or more backticks or tildes, then an info string (the language). */
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*)[^`]*$");

    private Readable() {}

    /** A piece of a text: prose, a code block (with its language, maybe empty), or a JSON value. */
    public sealed interface Block permits Prose, Code, JsonTree {}

    public record Prose(String text) implements Block {}

    public record Code(String language, String code) implements Block {}

    public record JsonTree(Node root) implements Block {}

    /**
     * A JSON value as its lines show it. An object or array is open/close brackets around its children (folded
     * by a details element); a scalar is its JSON text, with a kind for colouring. {@code key} is the member name
     * in an object (null in an array or at the top), {@code comma} whether a comma follows it.
     */
    public record Node(String key, String kind, String text, List<Node> children, boolean comma) {
        public boolean container() {
            return kind.equals("object") || kind.equals("array");
        }

        /** A container with something to fold; an empty one is written on one line, {@code {}} or {@code []}. */
        public boolean foldable() {
            return container() && !children.isEmpty();
        }

        /** The value's text on its line: a scalar's JSON, an empty container's brackets. */
        public String line() {
            return container() ? open() + close() : text;
        }

        public String open() {
            return kind.equals("object") ? "{" : "[";
        }

        public String close() {
            return kind.equals("object") ? "}" : "]";
        }

        /** What a folded value says of itself: "3 keys", "1 item". */
        public String summary() {
            int n = children.size();
            return kind.equals("object") ? n + (n == 1 ? " key" : " keys") : n + (n == 1 ? " item" : " items");
        }

        /** The member name as JSON writes it, quoted and escaped (the template escapes it for HTML). */
        public String quotedKey() {
            return key == null ? null : quote(key);
        }
    }

    /** The blocks of a prompt or response; none for a null or empty text. */
    static List<Block> blocks(String text) {
        if (text == null || text.isEmpty()) return List.of();
        JsonNode whole = parseContainer(text);
        if (whole != null) return List.of(json(whole));
        List<Block> blocks = new ArrayList<>();
        StringBuilder prose = new StringBuilder();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                prose.append(lines[i]).append('\n');
                i++;
                continue;
            }
            String fence = open.group(1);
            String language = open.group(2);
            int end = i + 1;
            while (end < lines.length && !closes(lines[end], fence)) end++;
            // An unclosed fence runs to the end of the text, as Markdown has it.
            String code = String.join("\n", java.util.Arrays.asList(lines).subList(i + 1, Math.min(end, lines.length)));
            flushProse(blocks, prose);
            JsonNode value = language.isEmpty() || language.equalsIgnoreCase("json") ? parseContainer(code) : null;
            blocks.add(value != null ? json(value) : new Code(language, code));
            i = end + 1;
        }
        flushProse(blocks, prose);
        return blocks;
    }

    /** A JSON text stored by the server (context, model parameters...) as a tree; null when absent. */
    static JsonTree jsonText(String json) {
        if (json == null) return null;
        try {
            return json(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            return new JsonTree(new Node(null, "string", quote(json), List.of(), false));
        }
    }

    private static boolean closes(String line, String fence) {
        String t = line.strip();
        return line.length() - line.stripLeading().length() <= 3 && t.length() >= fence.length()
                && t.chars().allMatch(c -> c == fence.charAt(0));
    }

    private static void flushProse(List<Block> blocks, StringBuilder prose) {
        String text = prose.toString();
        prose.setLength(0);
        // The newline added after the last line is not the text's own; blank prose between blocks is left out.
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        if (!text.isBlank()) blocks.add(new Prose(text));
    }

    /** The text parsed as JSON when it is exactly one object or array (surrounding blanks allowed); else null. */
    static JsonNode parseContainer(String text) {
        String t = text.strip();
        if (t.length() < 2 || !(t.startsWith("{") && t.endsWith("}") || t.startsWith("[") && t.endsWith("]"))) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(t);
            return n != null && n.isContainerNode() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static JsonTree json(JsonNode value) {
        int[] budget = {MAX_TREE_NODES};
        return new JsonTree(node(null, value, false, 0, budget));
    }

    private static Node node(String key, JsonNode v, boolean comma, int depth, int[] budget) {
        budget[0]--;
        if (v.isContainerNode() && (depth >= MAX_TREE_DEPTH || budget[0] <= 0)) {
            return new Node(key, "text", pretty(v), List.of(), comma);
        }
        if (v.isObject()) {
            List<Node> children = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                children.add(node(e.getKey(), e.getValue(), it.hasNext(), depth + 1, budget));
            }
            return new Node(key, "object", null, children, comma);
        }
        if (v.isArray()) {
            List<Node> children = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) children.add(node(null, v.get(i), i < v.size() - 1, depth + 1, budget));
            return new Node(key, "array", null, children, comma);
        }
        String kind = v.isTextual() ? "string" : v.isNumber() ? "number" : v.isBoolean() ? "boolean" : "null";
        return new Node(key, kind, v.toString(), List.of(), comma);
    }

    private static String pretty(JsonNode v) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return v.toString();
        }
    }

    private static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            return '"' + s + '"';
        }
    }
}
