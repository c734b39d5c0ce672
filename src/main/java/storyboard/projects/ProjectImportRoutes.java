package storyboard.projects;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiException;
import storyboard.api.Multipart;
import storyboard.api.HttpBodies;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.BlobStorage;
import storyboard.kernel.Principal;
import storyboard.projects.ProjectRecords.Report;

/**
 * {@code POST /api/v1/projects/import}: a package (a zip of the folder, or a multipart upload of its files) checked
 * whole before anything is stored, then stored as revision 1 with its import report.
 */
final class ProjectImportRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectImportRoutes.class);
    private static final Set<String> ZIP_TYPES = Set.of("application/zip", "application/x-zip-compressed",
            "application/x-zip");
    private final ProjectStore store;
    private final BlobStorage blobs;
    private final ProjectImport.Limits limits;
    /** Where an uploaded zip waits while it is checked: beside the blobs, on their disk (not a small /tmp). */
    private final Path spoolDirectory;

    ProjectImportRoutes(ProjectStore store, BlobStorage blobs, ProjectImport.Limits limits, Path spoolDirectory) {
        this.store = store;
        this.blobs = blobs;
        this.limits = limits;
        this.spoolDirectory = spoolDirectory;
    }

    void register(Api api) {
        api.post("/api/v1/projects/import", ProjectRoutes.answering(this::importPackage));
    }


    private void importPackage(Context ctx) throws IOException {
        Principal principal = Principal.of(ctx);
        String message;
        try {
            message = message(RequestParams.of(ctx, Set.of("message")).string("message"));
        } catch (ApiException e) {
            HttpBodies.drop(ctx);
            throw e;
        }
        String type = Optional.ofNullable(ctx.header("Content-Type")).orElse("").split(";", 2)[0].trim()
                .toLowerCase(Locale.ROOT);
        Path spooled = null;
        ProjectImport pkg;
        long started = System.nanoTime();
        long received = started;
        if (ZIP_TYPES.contains(type)) {
            spooled = spool(ctx);
            received = System.nanoTime();
            try {
                pkg = ProjectImport.zip(spooled, limits);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(spooled);
                throw e;
            }
        } else if (type.equals("multipart/form-data")) {
            pkg = ProjectImport.multipart(parts(ctx), limits);
        } else {
            HttpBodies.drop(ctx);
            throw new ApiException(415, "unsupported_media_type", "send the project as application/zip (a zip of the "
                    + "folder) or multipart/form-data (each part one file, its filename the path)"
                    + (type.isEmpty() ? "" : ", not " + type), "Content-Type");
        }
        try {
            Storyboard.ProjectInfo info = pkg.pkg() == null ? null : pkg.pkg().project();
            if (info != null && !principal.canSee(info.name())) throw invisible(info.name());
            if (!pkg.valid()) throw invalidPackage("the package is not a usable B-Line project", pkg.problems());
            store.liveId(info.name()).ifPresent(id -> {
                throw ProjectStore.exists(info.name(), id);
            });
            Actor actor = Actor.of(ctx);
            long checked = System.nanoTime();
            List<ProjectFile> files = storeAll(pkg.files(), actor);
            long storedAt = System.nanoTime();
            long bytes = files.stream().mapToLong(ProjectFile::size).sum();
            Report report = Report.of(pkg.pkg(), pkg.warnings(), files.size(), bytes);
            ProjectRecords.Imported imported = store.create(actor, info.name(), info.fps(),
                    new ProjectStore.NewRevision(message, ProjectStore.sorted(files), report, pkg.pkg().scenes()));
            long done = System.nanoTime();
            LOG.info("imported project '{}': {} files, {} bytes in {} ms (receiving {} ms, checking {} ms, storing {} ms, "
                            + "committing {} ms)", info.name(), files.size(), bytes, ms(done - started),
                    ms(received - started), ms(checked - received), ms(storedAt - checked), ms(done - storedAt));
            ctx.status(201).header("Location", "/api/v1/projects/" + imported.id()).json(imported);
        } finally {
            pkg.close();
            if (spooled != null) Files.deleteIfExists(spooled);
        }
    }

    /**
     * Stores every file of a checked package as a blob, all in one batch (written and flushed side by side: one
     * flush each, one after the other, would take most of an import of thousands of small thumbnails). A refusal
     * (disk full, too large) is thrown; blobs stored by then stay unreferenced until gc collects them.
     */
    private List<ProjectFile> storeAll(List<ProjectImport.Source> sources, Actor actor) {
        List<BlobStorage.Stored> stored = blobs.putAll(sources.stream()
                .map(s -> new BlobStorage.Source(null, s.size(), s::open)).toList(), actor);
        List<ProjectFile> files = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            ProjectImport.Source s = sources.get(i);
            files.add(new ProjectFile(s.path(), stored.get(i).sha256(), stored.get(i).size(), s.mode()));
        }
        return files;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Streams a zip body to a temporary file (checked before anything is stored; removed after). */
    private Path spool(Context ctx) throws IOException {
        long max = limits.maxTotalBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            HttpBodies.drop(ctx);
            throw tooLarge(max);
        }
        Files.createDirectories(spoolDirectory);
        Path file = Files.createTempFile(spoolDirectory, "project-import-", ".zip");
        boolean kept = false;
        try (InputStream in = ctx.req().getInputStream(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 18];
            long total = 0;
            int n;
            while (true) {
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw HttpBodies.unreadable(e);
                }
                if (n < 0) break;
                total += n;
                if (total > max) {
                    HttpBodies.drop(ctx);
                    throw tooLarge(max);
                }
                out.write(buf, 0, n);
            }
            kept = true;
            return file;
        } catch (IOException e) {
            LOG.error("an imported zip could not be written to {}: {}", file, e.getMessage());
            throw new ApiException(507, "insufficient_storage", "the server could not spool the upload (disk full or "
                    + "a write error); nothing was kept");
        } finally {
            if (!kept) Files.deleteIfExists(file);
        }
    }

    private static ApiException tooLarge(long max) {
        return new ApiException(413, "body_too_large", "the package is larger than the limit of " + max + " bytes");
    }

    /** Every file part of a multipart body (a form field that is no file is refused). */
    private List<ProjectImport.Part> parts(Context ctx) {
        Multipart.Form parsed = Multipart.read(ctx, blobs.maxBytes(), "", ": send the project as a zip instead");
        Map<String, List<UploadedFile>> files = parsed.files();
        Map<String, List<String>> form = parsed.fields();
        for (String name : form.keySet()) {
            if (!files.containsKey(name)) {
                throw ApiException.badRequest("unknown_field", "the form field '" + name + "' is not a file: every part "
                        + "is one file of the project, its filename the file's path", name);
            }
        }
        List<ProjectImport.Part> parts = new ArrayList<>();
        for (List<UploadedFile> list : files.values()) {
            for (UploadedFile f : list) {
                parts.add(new ProjectImport.Part() {
                    @Override
                    public String filename() {
                        return f.filename();
                    }

                    @Override
                    public long size() {
                        return f.size();
                    }

                    @Override
                    public InputStream open() {
                        return f.content();
                    }
                });
            }
        }
        return parts;
    }

    static ApiException invisible(String name) {
        return new ApiException(403, "forbidden", "this credential is restricted to other projects than '" + name + "'");
    }

    static Refusal invalidPackage(String message, List<Storyboard.Problem> problems) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problems", problems);
        return new Refusal(400, "invalid_request", message + " (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + ")", extra);
    }

    private static String message(Optional<String> text) {
        String m = text.map(String::strip).orElse("");
        if (m.length() > ProjectRoutes.MAX_MESSAGE) {
            throw ApiException.badRequest("invalid_parameter", "'message' is longer than " + ProjectRoutes.MAX_MESSAGE + " characters", "message");
        }
        if (m.indexOf('\0') >= 0) throw ApiException.badRequest("invalid_parameter", "'message' holds a NUL character", "message");
        return m;
    }

}
