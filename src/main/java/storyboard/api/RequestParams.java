package storyboard.api;

import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Query parameters read strictly: unknown names, repeats and malformed values are 400s naming the parameter. */
public final class RequestParams {
    private static final BigDecimal MAX_DECIMAL = new BigDecimal("1e15");
    private final Map<String, List<String>> params;

    private RequestParams(Map<String, List<String>> params) {
        this.params = params;
    }

    public static RequestParams of(Context ctx, Set<String> allowed) {
        Map<String, List<String>> map = ctx.queryParamMap();
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiException.badRequest("unknown_parameter", "unknown query parameter '" + e.getKey()
                        + "' (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")", e.getKey());
            }
            if (e.getValue().size() > 1) {
                throw ApiException.badRequest("invalid_parameter", "query parameter '" + e.getKey()
                        + "' is given more than once", e.getKey());
            }
        }
        return new RequestParams(map);
    }

    public Optional<String> string(String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) return Optional.empty();
        return Optional.of(v.get(0));
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return string(name).map(s -> {
            try {
                int n = Integer.parseInt(s.trim());
                if (n < min || n > max) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_parameter",
                        "'" + name + "' must be a whole number from " + min + " to " + max, name);
            }
        }).orElse(defaultValue);
    }

    /** A version number: a whole number, 1 or more. */
    public Optional<Integer> versionNumber(String name) {
        return string(name).map(s -> {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException e) {
                // below
            }
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be a version number (1 or more)", name);
        });
    }

    /** An amount such as a cost: a number from 0 and below 1e15. */
    public Optional<BigDecimal> amount(String name) {
        return string(name).map(s -> {
            try {
                BigDecimal d = new BigDecimal(s.trim());
                if (d.signum() < 0 || d.compareTo(MAX_DECIMAL) >= 0 || d.scale() > 30) throw new NumberFormatException();
                return d;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be a number from 0 and below 1e15", name);
            }
        });
    }

    /** An ISO-8601 instant ({@code 2025-09-21T20:12:03Z}, an offset, or a date meaning its UTC midnight). */
    public Optional<Instant> instant(String name) {
        return string(name).map(s -> parseInstant(s.trim()).orElseThrow(() -> ApiException.badRequest(
                "invalid_parameter", "'" + name + "' must be an ISO-8601 time such as 2025-09-21T20:12:03Z or a date such as 2025-09-21", name)));
    }

    public static Optional<Instant> parseInstant(String s) {
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(java.time.LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException ignored) {
            return Optional.empty();
        }
    }

    public Optional<String> oneOf(String name, Set<String> values) {
        return string(name).map(s -> {
            if (!values.contains(s)) {
                throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be one of "
                        + String.join(", ", values.stream().sorted().toList()), name);
            }
            return s;
        });
    }
}
