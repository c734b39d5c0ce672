package storyboard.projects;

/** One file of a revision's manifest: where it sits, its blob, its size and its permission bits (0644, 0755). */
public record ProjectFile(String path, String sha256, long size, int mode) {
    public static final int DEFAULT_MODE = 0644;
}
