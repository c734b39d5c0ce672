package storyboard.auth;

import java.util.Set;
import java.util.UUID;

/** Who made a request: a stored token (with its id) or the configured AUTH_TOKEN (no id). */
public record Principal(UUID tokenId, String name, Set<Scope> scopes) {
    public boolean may(Scope needed) {
        return needed == Scope.PUBLIC || scopes.contains(Scope.ADMIN) || scopes.contains(needed);
    }
}
