package storyboard.projects;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import storyboard.kernel.BlobStorage;

/**
 * A revision as a zip, written straight to the response in constant memory: one blob open at a time, copied
 * through a fixed buffer. Text is deflated quickly; what is compressed already (images, audio, video) is only
 * framed, so an export runs at about the speed of reading the files.
 */
final class ProjectExport {
    private static final Set<String> TEXT = Set.of("json", "txt", "md", "csv", "xml", "svg", "html", "yaml", "yml",
            "log", "srt", "fountain", "fdx");
    private static final int BUFFER = 1 << 16;

    private ProjectExport() {}

    /** The folder the files sit in: the project's name made safe as one file name on every platform. */
    static String folderName(String projectName) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < projectName.length(); i++) {
            char c = projectName.charAt(i);
            b.append(c < 0x20 || c == 0x7f || "/\\:*?\"<>|".indexOf(c) >= 0 ? '_' : c);
        }
        String s = b.toString().strip();
        while (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        return s.isEmpty() ? "project" : s;
    }

    static void write(OutputStream out, String folder, List<ProjectFile> files, Instant time, BlobStorage blobs)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        FileTime modified = FileTime.from(time);
        byte[] buf = new byte[BUFFER];
        for (ProjectFile f : files) {
            ZipEntry e = new ZipEntry(folder + "/" + f.path());
            e.setLastModifiedTime(modified);
            zip.setLevel(text(f.path()) ? Deflater.BEST_SPEED : Deflater.NO_COMPRESSION);
            zip.putNextEntry(e);
            try (InputStream in = blobs.open(f.sha256(), 0)) {
                long left = f.size();
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) throw new IOException("the blob " + f.sha256() + " of " + f.path() + " is shorter than its size");
                    zip.write(buf, 0, n);
                    left -= n;
                }
            }
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    private static boolean text(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') && TEXT.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
