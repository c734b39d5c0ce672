package storyboard.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A PostgreSQL location, given either in the seed's form {@code postgresql://user:pass@host[:port]/db[?params]}
 * (also {@code postgres://}) or as a JDBC URL {@code jdbc:postgresql://...}.
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    public static DatabaseUrl parse(String url) {
        String s = url.trim();
        if (s.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(s, Optional.empty(), Optional.empty());
        }
        if (!s.startsWith("postgresql://") && !s.startsWith("postgres://")) {
            throw new IllegalArgumentException("expected postgresql://user:pass@host:5432/db or jdbc:postgresql://...");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("no host");
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String db = path.startsWith("/") ? path.substring(1) : path;
        if (db.isEmpty()) throw new IllegalArgumentException("no database name after the host");
        Optional<String> user = Optional.empty();
        Optional<String> pass = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) pass = Optional.of(decode(info.substring(colon + 1)));
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbc = "jdbc:postgresql://" + hostPart + ":" + port + "/" + db
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, user, pass);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The location for people to read: never the password. */
    public String display() {
        String base = jdbcUrl.replaceFirst("(?i)([?&]password=)[^&]*", "$1***");
        return user.map(u -> base + " (user " + u + ")").orElse(base);
    }
}
