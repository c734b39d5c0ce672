package storyboard.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.webjars.WebJarVersionLocator;
import storyboard.api.ApiException;

/**
 * The pages' scripts, styles and images, served from the jar at URLs that hold a hash of their content
 * ({@code /static/3f2a9c1b0d/web/app.css}), so a browser may keep each one for a year and a new release is fetched at
 * once. Two sources: a capability's own files, {@code <capability>/<file>} from the class path's
 * {@code storyboard/<capability>/static/}, and the WebJars' files, {@code webjars/<library>/<file>} (the library's
 * version is the one on the class path). Nothing is fetched from elsewhere at run time.
 */
public final class StaticFiles {
    /** A name: lower-case words, digits, dots, dashes and slashes; never "..". */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)+");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2");

    private record File(String hash, byte[] bytes, String type) {}

    private final WebJarVersionLocator webJars = new WebJarVersionLocator();
    private final Map<String, File> files = new ConcurrentHashMap<>();

    /** The URL of a file, with its content's hash; a file that does not exist stops the page (a bug, not input). */
    public String url(String name) {
        return "/static/" + file(name).hash + "/" + name;
    }

    /** Answers {@code GET /static/<hash>/<name>}: the file, or 404 when either is unknown. */
    void serve(Context ctx) {
        String path = ctx.pathParam("path");
        int slash = path.indexOf('/');
        String hash = slash < 0 ? "" : path.substring(0, slash);
        String name = slash < 0 ? "" : path.substring(slash + 1);
        File file = NAME.matcher(name).matches() && !name.contains("..") ? find(name) : null;
        if (file == null || !file.hash.equals(hash)) throw ApiException.notFound("static file " + path);
        ctx.header("Cache-Control", "private, max-age=31536000, immutable")
                .header("ETag", '"' + file.hash + '"')
                .contentType(file.type);
        if (("\"" + file.hash + "\"").equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.result(file.bytes);
    }

    private File file(String name) {
        File f = find(name);
        if (f == null) throw new IllegalArgumentException("no static file " + name);
        return f;
    }

    private File find(String name) {
        File cached = files.get(name);
        if (cached != null) return cached;
        String resource = resource(name);
        if (resource == null) return null;
        String extension = name.substring(name.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        if (type == null) return null;
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return null;
            byte[] bytes = in.readAllBytes();
            File f = new File(hash(bytes), bytes, type);
            files.put(name, f);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class-path resource of a name, or null. */
    private String resource(String name) {
        if (name.startsWith("webjars/")) {
            String rest = name.substring("webjars/".length());
            int slash = rest.indexOf('/');
            if (slash < 0) return null;
            return webJars.fullPath(rest.substring(0, slash), rest.substring(slash + 1));
        }
        int slash = name.indexOf('/');
        return "storyboard/" + name.substring(0, slash) + "/static/" + name.substring(slash + 1);
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
