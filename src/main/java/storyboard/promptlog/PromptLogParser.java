package storyboard.promptlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import storyboard.api.ApiException;
import storyboard.kernel.Json;
import storyboard.api.RequestParams;

/**
 * Turns a request body into a {@link NewPromptLog}, or a precise 400. Known fields of the expected JSON type go
 * to their columns; a known field of another type, an explicit null and every unknown field go to {@code extra}
 * unchanged, so nothing the client sent is dropped. Only the fields the contract constrains are validated.
 */
final class PromptLogParser {
    static final int MAX_TYPE_LENGTH = 200;
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    private static final BigInteger MAX_BIGINT = BigInteger.valueOf(Long.MAX_VALUE);
    /** Costs are money: anything beyond this is a client bug, not a price. */
    static final BigDecimal MAX_COST = new BigDecimal("1e15");
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private PromptLogParser() {}

    /** Parses a whole request body: must be a JSON object. */
    static NewPromptLog parseBody(byte[] body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON: "
                    + e.getOriginalMessage(), null);
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("invalid_json", "the body could not be read as JSON", null);
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("invalid_json", "the body is empty; a JSON object is expected", null);
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("invalid_body", "the body must be a JSON object, not "
                    + describe(node), null);
        }
        return parseObject((ObjectNode) node, sha256Hex(body));
    }

    static NewPromptLog parseObject(ObjectNode o, String bodySha256) {
        rejectNul(o, null);
        ObjectNode extra = Json.MAPPER.createObjectNode();

        String type = requiredType(o.get("type"));
        String prompt = validatedString(o, "prompt", extra);
        Long tokens = validatedTokens(o, extra);
        BigDecimal cost = validatedCost(o, extra);
        ObjectNode context = validatedObject(o, "context", extra);
        String clientTimestamp = null;
        Instant clientTs = null;
        JsonNode ts = o.get("timestamp");
        if (ts != null && !ts.isNull()) {
            if (!ts.isTextual()) throw invalid("timestamp", "'timestamp' must be an ISO-8601 string such as 2025-09-21T20:12:03Z");
            clientTimestamp = ts.textValue();
            clientTs = RequestParams.parseInstant(clientTimestamp.trim())
                    .filter(t -> t.isAfter(EARLIEST) && t.isBefore(LATEST))
                    .orElseThrow(() -> invalid("timestamp",
                            "'timestamp' must be an ISO-8601 time from year 1 to 9999, such as 2025-09-21T20:12:03Z"));
        } else if (ts != null) {
            extra.set("timestamp", ts);
        }
        UUID id = null;
        JsonNode idNode = o.get("id");
        if (idNode != null && idNode.isTextual()) id = parseUuid(idNode.textValue()).orElse(null);
        if (idNode != null && (id == null || !idNode.textValue().equals(id.toString()))) extra.set("id", idNode);

        String category = text(o, "category", extra);
        String user = text(o, "user", extra);
        String version = text(o, "version", extra);
        String llm = text(o, "llm", extra);
        String response = text(o, "response", extra);
        String userId = text(o, "userId", extra);
        String projectId = text(o, "projectId", extra);
        String sessionId = text(o, "sessionId", extra);
        String correlationId = text(o, "correlationId", extra);
        String environment = text(o, "environment", extra);
        ObjectNode errorDetails = object(o, "errorDetails", extra);
        Long inputSize = integer(o, "inputSize", extra);
        Long outputSize = integer(o, "outputSize", extra);
        ObjectNode latency = object(o, "latencyBreakdown", extra);
        ObjectNode modelParams = object(o, "modelParams", extra);

        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!PromptLogFields.KNOWN.contains(e.getKey())) extra.set(e.getKey(), e.getValue());
        }

        String project = projectId != null ? projectId : contextText(context, "projectId");
        Double processingMs = null;
        if (context != null && context.get("processing_time") != null && context.get("processing_time").isNumber()) {
            processingMs = context.get("processing_time").doubleValue();
        }
        PromptLogFields sent = new PromptLogFields(category, type, clientTimestamp, user, version, llm, prompt,
                response, tokens, cost, json(context), userId, projectId, sessionId, correlationId, environment,
                json(errorDetails), inputSize, outputSize, json(latency), json(modelParams),
                extra.isEmpty() ? null : json(extra));
        return new NewPromptLog(
                id != null ? id : UUID.randomUUID(),
                id != null ? "id:" + id : null,
                clientTs, sent, bodySha256, project, contextText(context, "sceneId"), contextText(context, "sceneName"),
                processingMs);
    }

    static String validIdempotencyKey(String header) {
        if (header == null) return null;
        String key = header.trim();
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw invalid("Idempotency-Key", "the Idempotency-Key header must be 1 to "
                    + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
        return "key:" + key;
    }

    private static String requiredType(JsonNode n) {
        if (n == null || n.isNull()) throw invalid("type", "'type' is required (e.g. \"shots\")");
        if (!n.isTextual()) throw invalid("type", "'type' must be a string, not " + describe(n));
        String t = n.textValue();
        if (t.isBlank()) throw invalid("type", "'type' must not be empty");
        if (t.length() > MAX_TYPE_LENGTH) throw invalid("type", "'type' is longer than " + MAX_TYPE_LENGTH + " characters");
        return t;
    }

    /** A field that is constrained when given: absent or an explicit null (kept in extra) is null. */
    private static JsonNode given(ObjectNode o, String field, ObjectNode extra) {
        JsonNode n = o.get(field);
        if (n == null || !n.isNull()) return n;
        extra.set(field, n);
        return null;
    }

    private static String validatedString(ObjectNode o, String field, ObjectNode extra) {
        JsonNode n = given(o, field, extra);
        if (n == null) return null;
        if (!n.isTextual()) throw invalid(field, "'" + field + "' must be a string, not " + describe(n));
        return n.textValue();
    }

    private static Long validatedTokens(ObjectNode o, ObjectNode extra) {
        JsonNode n = given(o, "tokens", extra);
        if (n == null) return null;
        BigInteger value = integral(n);
        if (value == null || value.signum() < 0 || value.compareTo(MAX_BIGINT) > 0) {
            throw invalid("tokens", "'tokens' must be a non-negative whole number, not " + describe(n));
        }
        return value.longValueExact();
    }

    private static BigDecimal validatedCost(ObjectNode o, ObjectNode extra) {
        JsonNode n = given(o, "cost", extra);
        if (n == null) return null;
        if (!n.isNumber() || n.decimalValue().signum() < 0) {
            throw invalid("cost", "'cost' must be a non-negative number, not " + describe(n));
        }
        if (n.decimalValue().compareTo(MAX_COST) >= 0 || n.decimalValue().scale() > 30) {
            throw invalid("cost", "'cost' must be below 1e15 with at most 30 decimals");
        }
        return n.decimalValue();
    }

    private static ObjectNode validatedObject(ObjectNode o, String field, ObjectNode extra) {
        JsonNode n = given(o, field, extra);
        if (n == null) return null;
        if (!n.isObject()) throw invalid(field, "'" + field + "' must be a JSON object, not " + describe(n));
        return (ObjectNode) n;
    }

    private static String text(ObjectNode o, String field, ObjectNode extra) {
        JsonNode n = o.get(field);
        if (n == null) return null;
        if (n.isTextual()) return n.textValue();
        extra.set(field, n);
        return null;
    }

    private static ObjectNode object(ObjectNode o, String field, ObjectNode extra) {
        JsonNode n = o.get(field);
        if (n == null) return null;
        if (n.isObject()) return (ObjectNode) n;
        extra.set(field, n);
        return null;
    }

    private static Long integer(ObjectNode o, String field, ObjectNode extra) {
        JsonNode n = o.get(field);
        if (n == null) return null;
        BigInteger v = integral(n);
        if (v != null && v.bitLength() < 64) return v.longValueExact();
        extra.set(field, n);
        return null;
    }

    private static BigInteger integral(JsonNode n) {
        if (n.isIntegralNumber()) return n.bigIntegerValue();
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static String contextText(ObjectNode context, String field) {
        if (context == null) return null;
        JsonNode n = context.get(field);
        if (n == null || n.isNull() || n.isContainerNode()) return null;
        String s = n.asText();
        return s.isEmpty() ? null : s;
    }

    /** PostgreSQL text and jsonb cannot hold U+0000; refuse it clearly instead of failing in the database. */
    private static void rejectNul(JsonNode node, String field) {
        if (node.isTextual()) {
            if (node.textValue().indexOf('\0') >= 0) {
                throw invalid(field, "'" + field + "' contains the NUL character (\\u0000), which cannot be stored");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = field == null ? e.getKey() : field;
                if (e.getKey().indexOf('\0') >= 0) {
                    throw invalid(name, "a key in '" + name + "' contains the NUL character (\\u0000), which cannot be stored");
                }
                rejectNul(e.getValue(), name);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) rejectNul(child, field);
        }
    }

    static Optional<UUID> parseUuid(String s) {
        String t = s.trim();
        if (t.startsWith("{") && t.endsWith("}")) t = t.substring(1, t.length() - 1);
        if (t.length() != 36) return Optional.empty();
        try {
            return Optional.of(UUID.fromString(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String json(JsonNode n) {
        if (n == null) return null;
        try {
            return Json.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "the number " + n.asText();
        if (n.isBoolean()) return n.asText();
        if (n.isNull()) return "null";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.badRequest("invalid_field", message, field);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String s) {
        return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }
}
