package storyboard.auth;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The sign-in page: plain HTML, no script, one inline style allowed by its hash in a strict Content Security
 * Policy, so the page can load nothing, be framed by nobody, and post only to this site. Every value written
 * into it is HTML-escaped. Two forms post to {@code /login}: a username and password, and (folded in a
 * {@code <details>}, open when it was the one used) a pasted token. Light or dark, as the system prefers.
 */
final class LoginPage {
    private static final String STYLE = """
            :root{color-scheme:light dark}
            body{font-family:system-ui,sans-serif;background:#f4f4f5;color:#18181b;display:flex;justify-content:center;margin:0;padding-top:12vh}
            main{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:2rem;width:min(22rem,90vw)}
            h1{font-size:1.25rem;margin:0 0 1.25rem}
            label{display:block;font-size:.875rem;margin:.75rem 0 .25rem}
            input{box-sizing:border-box;width:100%;padding:.5rem;border:1px solid #a1a1aa;border-radius:4px;font-size:1rem;background:inherit;color:inherit}
            button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:4px;background:#18181b;color:#fff;font-size:1rem;cursor:pointer}
            button:focus-visible,input:focus-visible,summary:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
            details{margin-top:1.5rem;border-top:1px solid #e4e4e7;padding-top:1rem}
            summary{cursor:pointer;font-size:.875rem}
            .hint{font-size:.8rem;color:#52525b;margin:.5rem 0 0}
            .error{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;padding:.5rem .75rem;border-radius:4px;font-size:.875rem}
            @media (prefers-color-scheme:dark){
            body{background:#18181b;color:#f4f4f5}
            main{background:#27272a;border-color:#3f3f46}
            input{border-color:#71717a}
            button{background:#f4f4f5;color:#18181b}
            details{border-top-color:#3f3f46}
            .hint{color:#a1a1aa}
            .error{background:#450a0a;border-color:#7f1d1d;color:#fecaca}
            }
            """;
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
            + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private LoginPage() {}

    /**
     * What the page shows: the form's double-submit token, the username typed (never the password or token),
     * where to go next, an error, and whether that error belongs to the token form.
     */
    record View(String csrfToken, String username, String next, String error, boolean token) {
        static View blank(String csrfToken, String next) {
            return new View(csrfToken, null, next, null, false);
        }
    }

    /** Answers the page with the given status and headers that keep it out of caches and frames. */
    static void send(Context ctx, int status, View view) {
        ctx.status(status)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store")
                .contentType("text/html; charset=utf-8")
                .result(render(view));
    }

    static String render(View v) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<title>Sign in · Storyboard Server</title>\n<style>").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<main>\n<h1>Sign in to Storyboard Server</h1>\n");
        if (v.error() != null && !v.token()) error(b, v.error(), null);
        String username = v.username();
        boolean noName = username == null || username.isEmpty();
        b.append("<form method=\"post\" action=\"/login\">\n");
        hidden(b, v);
        b.append("<label for=\"username\">Username</label>\n")
                .append("<input id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" "
                        + "spellcheck=\"false\" required maxlength=\"").append(UserStore.MAX_USERNAME).append("\"")
                .append(noName ? (v.token() ? "" : " autofocus") : " value=\"" + escape(username) + "\"")
                .append(">\n<label for=\"password\">Password</label>\n")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required")
                .append(noName ? "" : " autofocus")
                .append(">\n<button type=\"submit\">Sign in</button>\n</form>\n");
        b.append("<details").append(v.token() ? " open" : "").append(">\n<summary>Sign in with a token</summary>\n");
        if (v.error() != null && v.token()) error(b, v.error(), "token-error");
        b.append("<form method=\"post\" action=\"/login\">\n");
        hidden(b, v);
        b.append("<label for=\"token\">API token</label>\n")
                .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" autocapitalize=\"none\" "
                        + "spellcheck=\"false\" required maxlength=\"").append(LoginRoutes.MAX_TOKEN).append("\"")
                .append(" aria-describedby=\"token-hint").append(v.error() != null && v.token() ? " token-error" : "")
                .append("\"").append(v.token() ? " autofocus" : "").append(">\n")
                .append("<p class=\"hint\" id=\"token-hint\">A token an admin made for you (sbs_…). You will see and do "
                        + "what the token may; signing out or revoking the token ends the session.</p>\n")
                .append("<button type=\"submit\">Sign in with token</button>\n</form>\n</details>\n")
                .append("</main>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void error(StringBuilder b, String error, String id) {
        b.append("<p class=\"error\" role=\"alert\"").append(id == null ? "" : " id=\"" + id + "\"").append(">")
                .append(escape(error)).append("</p>\n");
    }

    private static void hidden(StringBuilder b, View v) {
        b.append("<input type=\"hidden\" name=\"_csrf\" value=\"").append(escape(v.csrfToken())).append("\">\n");
        if (v.next() != null) {
            b.append("<input type=\"hidden\" name=\"next\" value=\"").append(escape(v.next())).append("\">\n");
        }
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
