package storyboard.auth;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The sign-in page: plain HTML, no script, one inline style allowed by its hash in a strict Content Security
 * Policy, so the page can load nothing, be framed by nobody, and post only to this site. Every value written
 * into it is HTML-escaped.
 */
final class LoginPage {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;background:#f4f4f5;color:#18181b;display:flex;justify-content:center;margin:0;padding-top:12vh}
            main{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:2rem;width:min(22rem,90vw)}
            h1{font-size:1.25rem;margin:0 0 1.25rem}
            label{display:block;font-size:.875rem;margin:.75rem 0 .25rem}
            input{box-sizing:border-box;width:100%;padding:.5rem;border:1px solid #a1a1aa;border-radius:4px;font-size:1rem}
            button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:4px;background:#18181b;color:#fff;font-size:1rem;cursor:pointer}
            .error{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;padding:.5rem .75rem;border-radius:4px;font-size:.875rem}
            """;
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private LoginPage() {}

    /** Answers the page with the given status and headers that keep it out of caches and frames. */
    static void send(Context ctx, int status, String csrfToken, String username, String next, String error) {
        ctx.status(status)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store")
                .contentType("text/html; charset=utf-8")
                .result(render(csrfToken, username, next, error));
    }

    static String render(String csrfToken, String username, String next, String error) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<title>Sign in · Storyboard Server</title>\n<style>").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<main>\n<h1>Sign in to Storyboard Server</h1>\n");
        if (error != null) b.append("<p class=\"error\" role=\"alert\">").append(escape(error)).append("</p>\n");
        b.append("<form method=\"post\" action=\"/login\">\n")
                .append("<input type=\"hidden\" name=\"_csrf\" value=\"").append(escape(csrfToken)).append("\">\n");
        if (next != null) {
            b.append("<input type=\"hidden\" name=\"next\" value=\"").append(escape(next)).append("\">\n");
        }
        b.append("<label for=\"username\">Username</label>\n")
                .append("<input id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" "
                        + "spellcheck=\"false\" required maxlength=\"").append(UserStore.MAX_USERNAME).append("\"")
                .append(username == null || username.isEmpty() ? " autofocus" : " value=\"" + escape(username) + "\"")
                .append(">\n<label for=\"password\">Password</label>\n")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required")
                .append(username == null || username.isEmpty() ? "" : " autofocus")
                .append(">\n<button type=\"submit\">Sign in</button>\n</form>\n</main>\n</body>\n</html>\n");
        return b.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append("&#xFFFD;");
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
