package storyboard.auth;

import storyboard.kernel.DomainException;
import storyboard.kernel.Scope;
import java.time.Instant;
import java.util.Set;

/** The rules a new token must follow, shared by the CLI and the API. */
public final class TokenRequests {
    static final int MAX_NAME = 200;
    static final int MAX_PROJECT = 200;
    static final int MAX_PROJECTS = 1000;
    static final int MAX_RATE_LIMIT = 1_000_000;

    private TokenRequests() {}

    /** A valid token specification, or a {@link DomainException} naming the field that is wrong. */
    public static TokenStore.NewToken validate(String name, Set<Scope> scopes, Set<String> projects, Instant expiresAt,
                                        Integer rateLimit) {
        if (name == null || name.isBlank()) throw new InvalidTokenField("name", "a token needs a name");
        if (name.length() > MAX_NAME) throw new InvalidTokenField("name", "the name is longer than " + MAX_NAME + " characters");
        if (scopes == null || scopes.isEmpty()) throw new InvalidTokenField("scopes", "a token needs at least one scope");
        if (projects != null) {
            if (projects.isEmpty()) {
                throw new InvalidTokenField("projects", "an empty project list would hide everything; omit it for every project");
            }
            if (projects.size() > MAX_PROJECTS) throw new InvalidTokenField("projects", "at most " + MAX_PROJECTS + " projects");
            for (String p : projects) {
                if (p == null || p.isBlank() || p.length() > MAX_PROJECT || p.indexOf('\0') >= 0) {
                    throw new InvalidTokenField("projects", "a project is a non-empty name of at most " + MAX_PROJECT + " characters");
                }
            }
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw new InvalidTokenField("expires_at", "the expiry must be in the future");
        }
        if (rateLimit != null && (rateLimit < 0 || rateLimit > MAX_RATE_LIMIT)) {
            throw new InvalidTokenField("rate_limit", "the rate limit is requests per second from 0 (unlimited) to " + MAX_RATE_LIMIT);
        }
        return new TokenStore.NewToken(name.strip(), scopes, projects, expiresAt, rateLimit);
    }

    /** A rule broken, naming the field (the API's {@code field}; the CLI shows the message). */
    static final class InvalidTokenField extends DomainException {
        InvalidTokenField(String field, String message) {
            super(Kind.INVALID, "invalid_field", message, field);
        }
    }
}
