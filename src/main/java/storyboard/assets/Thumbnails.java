package storyboard.assets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;

/**
 * Small previews of image versions: at most {@link #MAX_SIDE} pixels on the long side, JPEG for JPEG sources
 * and PNG for everything else (keeps transparency), made with Thumbnailator (antialiased, progressive
 * downscaling). Never larger than the source.
 */
final class Thumbnails {
    static final int MAX_SIDE = 256;
    /** Larger pictures are not decoded for a preview (a 100-megapixel image needs ~400 MB of memory). */
    static final long MAX_PIXELS = 100_000_000L;
    /** What the JDK's image readers can decode. */
    static final Set<String> DECODABLE = Set.of("image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff");

    record Thumbnail(byte[] bytes, String mediaType) {}

    private Thumbnails() {}

    /** Whether a version of this type and size gets a thumbnail. */
    static boolean possible(String mediaType, Integer width, Integer height) {
        return mediaType != null && DECODABLE.contains(mediaType) && width != null && height != null
                && width > 0 && height > 0 && (long) width * height <= MAX_PIXELS;
    }

    /** The thumbnail, or empty when the bytes cannot be decoded. */
    static Optional<Thumbnail> make(InputStream source, String mediaType, int width, int height) {
        boolean jpeg = mediaType.equals("image/jpeg");
        String format = jpeg ? "jpg" : "png";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            var builder = net.coobird.thumbnailator.Thumbnails.of(source);
            if (Math.max(width, height) <= MAX_SIDE) {
                builder.scale(1.0);
            } else {
                builder.size(MAX_SIDE, MAX_SIDE).keepAspectRatio(true);
            }
            builder.outputFormat(format);
            if (jpeg) builder.outputQuality(0.85);
            builder.toOutputStream(out);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(new Thumbnail(out.toByteArray(), jpeg ? "image/jpeg" : "image/png"));
    }
}
