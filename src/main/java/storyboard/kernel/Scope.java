package storyboard.kernel;

import io.javalin.security.RouteRole;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. Every route declares exactly one scope it needs (see {@code storyboard.kernel.Api});
 * {@link #PUBLIC} marks the health checks, the only routes without a token, and {@link #AUTHENTICATED} the
 * routes any valid credential may use (e.g. "who am I"). Neither can be held. {@link #ADMIN} includes all others.
 */
public enum Scope implements RouteRole {
    PUBLIC,
    AUTHENTICATED,
    INGEST,
    READ,
    WRITE,
    WORKER,
    ADMIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a token or user can be given this scope. */
    public boolean holdable() {
        return this != PUBLIC && this != AUTHENTICATED;
    }

    public static Scope parse(String s) {
        for (Scope scope : values()) {
            if (scope.holdable() && scope.id().equals(s.trim().toLowerCase(Locale.ROOT))) return scope;
        }
        throw new IllegalArgumentException("unknown scope '" + s + "' (known: ingest, read, write, worker, admin)");
    }

    /** Every scope a token can hold. */
    public static Set<Scope> all() {
        EnumSet<Scope> s = EnumSet.allOf(Scope.class);
        s.remove(PUBLIC);
        s.remove(AUTHENTICATED);
        return s;
    }

    public static Set<Scope> parseList(String csv) {
        EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
        Arrays.stream(csv.split(",")).filter(x -> !x.isBlank()).map(Scope::parse).forEach(out::add);
        if (out.isEmpty()) throw new IllegalArgumentException("no scope given");
        return out;
    }
}
