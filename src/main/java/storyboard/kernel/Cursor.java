package storyboard.kernel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a keyset-paginated listing goes on: the sort keys of the last item shown, tagged with the listing they
 * belong to, in one opaque URL-safe text. A cursor of another listing, or one edited by hand, is refused as
 * {@code invalid_parameter} (400), never misread. Times keep microseconds, as PostgreSQL stores them.
 *
 * @param listing which listing the cursor belongs to (e.g. "assets"), checked when it comes back
 * @param keys the sort keys, in order
 */
public record Cursor(String listing, List<String> keys) {
    private static final String VERSION = "c1";
    private static final char SEPARATOR = '\n';
    private static final Instant FIRST_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST_TIME = Instant.parse("9999-12-31T23:59:59Z");

    public Cursor {
        keys = List.copyOf(keys);
    }

    /** A cursor from sort keys: Instants, UUIDs, numbers or strings (null allowed). */
    public static Cursor of(String listing, Object... keys) {
        List<String> text = new ArrayList<>(keys.length);
        for (Object k : keys) {
            text.add(k == null ? "" : k instanceof Instant t
                    ? Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, t)) : k.toString());
        }
        return new Cursor(listing, text);
    }

    public String encode() {
        StringBuilder s = new StringBuilder(VERSION).append(SEPARATOR).append(listing);
        for (String k : keys) s.append(SEPARATOR).append(k);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back, if any, which must belong to {@code listing} and have {@code size} keys. */
    public static Optional<Cursor> decode(Optional<String> text, String listing, int size) {
        return text.map(t -> decode(t, listing, size));
    }

    public static Cursor decode(String text, String listing, int size) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            String[] parts = s.split(String.valueOf(SEPARATOR), -1);
            if (parts.length != size + 2 || !parts[0].equals(VERSION) || !parts[1].equals(listing)) throw invalid();
            return new Cursor(listing, List.of(parts).subList(2, parts.length));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    public String string(int i) {
        String k = keys.get(i);
        return k.isEmpty() ? null : k;
    }

    public long number(int i) {
        try {
            return Long.parseLong(keys.get(i));
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** A time key; one PostgreSQL cannot hold (before year 1 or after 9999) was never issued, and is refused. */
    public Instant instant(int i) {
        Instant t;
        try {
            t = Instant.EPOCH.plus(number(i), ChronoUnit.MICROS);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw invalid();
        }
        if (t.isBefore(FIRST_TIME) || t.isAfter(LAST_TIME)) throw invalid();
        return t;
    }

    /** A time key as PostgreSQL's JDBC driver binds a timestamptz. */
    public java.time.OffsetDateTime time(int i) {
        return java.time.OffsetDateTime.ofInstant(instant(i), java.time.ZoneOffset.UTC);
    }

    public UUID uuid(int i) {
        try {
            return UUID.fromString(keys.get(i));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static DomainException invalid() {
        return DomainException.invalid("invalid_parameter", "'cursor' is not a cursor this server issued for this listing", "cursor");
    }
}
