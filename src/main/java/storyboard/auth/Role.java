package storyboard.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import storyboard.kernel.Scope;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a person may do: a fixed set of scopes per role. */
public enum Role {
    ADMIN(Scope.all()),
    EDITOR(EnumSet.of(Scope.INGEST, Scope.READ, Scope.WRITE)),
    VIEWER(EnumSet.of(Scope.READ));

    private final Set<Scope> scopes;

    Role(Set<Scope> scopes) {
        this.scopes = Set.copyOf(scopes);
    }

    public Set<Scope> scopes() {
        return scopes;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) if (r.id().equals(s.trim().toLowerCase(Locale.ROOT))) return r;
        }
        throw new IllegalArgumentException("unknown role '" + s + "' (known: admin, editor, viewer)");
    }
}
