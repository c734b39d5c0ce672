package storyboard.assets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;

/**
 * What a file is, from its bytes: the media type (by {@link MediaSniffer}, as for its blob), an image's size (from
 * its header, without decoding the picture) and a WAV file's duration. Anything unreadable is
 * simply unknown (null): a broken or truncated file is still registered.
 */
final class MediaProbe {
    record Facts(String mediaType, Integer width, Integer height, Long durationMs) {}

    private MediaProbe() {}

    /** Reads the facts of stored bytes; {@code open} is called at most twice (once for the head, once for the header). */
    static Facts probe(StreamSource open) {
        byte[] head;
        try (InputStream in = open.open()) {
            head = in.readNBytes(MediaSniffer.HEAD);
        } catch (IOException e) {
            return new Facts(MediaSniffer.UNKNOWN, null, null, null);
        }
        String type = MediaSniffer.sniff(head); // the same bytes and the same sniffer as the blob's type
        Integer width = null;
        Integer height = null;
        Long duration = null;
        if (type.equals("image/webp")) {
            int[] wh = webpSize(open);
            if (wh != null) {
                width = wh[0];
                height = wh[1];
            }
        } else if (type.startsWith("image/")) {
            try (InputStream in = open.open(); ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
                if (readers.hasNext()) {
                    ImageReader reader = readers.next();
                    try {
                        reader.setInput(iis, true, true);
                        width = reader.getWidth(0);
                        height = reader.getHeight(0);
                    } finally {
                        reader.dispose();
                    }
                }
            } catch (IOException | RuntimeException e) {
                width = null;
                height = null;
            }
        } else if (type.equals("audio/wav")) {
            try (InputStream in = new BufferedInputStream(open.open())) {
                AudioFileFormat f = AudioSystem.getAudioFileFormat(in);
                long frames = f.getFrameLength();
                float rate = f.getFormat().getFrameRate();
                if (frames > 0 && rate > 0) duration = Math.round(frames * 1000.0 / rate);
            } catch (IOException | RuntimeException | javax.sound.sampled.UnsupportedAudioFileException e) {
                duration = null;
            }
        }
        return new Facts(type, width, height, duration);
    }

    /** Width and height from a WebP header (VP8, VP8L or VP8X chunk), or null. */
    private static int[] webpSize(StreamSource open) {
        byte[] h;
        try (InputStream in = open.open()) {
            h = in.readNBytes(30);
        } catch (IOException e) {
            return null;
        }
        if (h.length < 30) return null;
        String chunk = new String(h, 12, 4, StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8X":
                return new int[] {1 + u24(h, 24), 1 + u24(h, 27)};
            case "VP8L":
                if ((h[20] & 0xFF) != 0x2F) return null;
                int b = (h[21] & 0xFF) | (h[22] & 0xFF) << 8 | (h[23] & 0xFF) << 16 | (h[24] & 0xFF) << 24;
                return new int[] {1 + (b & 0x3FFF), 1 + ((b >>> 14) & 0x3FFF)};
            case "VP8 ":
                if ((h[23] & 0xFF) != 0x9D || (h[24] & 0xFF) != 0x01 || (h[25] & 0xFF) != 0x2A) return null;
                return new int[] {((h[26] & 0xFF) | (h[27] & 0xFF) << 8) & 0x3FFF, ((h[28] & 0xFF) | (h[29] & 0xFF) << 8) & 0x3FFF};
            default:
                return null;
        }
    }

    private static int u24(byte[] h, int at) {
        return (h[at] & 0xFF) | (h[at + 1] & 0xFF) << 8 | (h[at + 2] & 0xFF) << 16;
    }

    /** Opens the bytes from the start, each time anew. */
    @FunctionalInterface
    interface StreamSource {
        InputStream open() throws IOException;
    }
}
