package storyboard.assets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;

/**
 * What a file is, from its bytes: the media type (sniffed from its first bytes, never from a name), an image's
 * size (from its header, without decoding the picture) and a WAV file's duration. Anything unreadable is
 * simply unknown (null): a broken or truncated file is still registered.
 */
final class MediaProbe {
    /** How many leading bytes {@link #sniff} looks at. */
    static final int HEAD = 64;

    record Facts(String mediaType, Integer width, Integer height, Long durationMs) {}

    private MediaProbe() {}

    /** The media type of bytes beginning with {@code head}; application/octet-stream when unknown. */
    static String sniff(byte[] head) {
        if (starts(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
        if (starts(head, 0, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) return "image/gif";
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return "image/webp";
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) return "audio/wav";
        if (ascii(head, 0, "BM") && head.length >= 14) return "image/bmp";
        if (starts(head, 0, 'I', 'I', 42, 0) || starts(head, 0, 'M', 'M', 0, 42)) return "image/tiff";
        if (ascii(head, 0, "ID3") || starts(head, 0, 0xFF, 0xFB) || starts(head, 0, 0xFF, 0xF3)
                || starts(head, 0, 0xFF, 0xF2)) return "audio/mpeg";
        if (ascii(head, 0, "fLaC")) return "audio/flac";
        if (ascii(head, 0, "OggS")) return "audio/ogg";
        if (ascii(head, 4, "ftyp")) return ascii(head, 8, "qt  ") ? "video/quicktime" : "video/mp4";
        if (starts(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) return "video/webm";
        if (ascii(head, 0, "%PDF-")) return "application/pdf";
        if (safetensors(head)) return "application/vnd.safetensors";
        int i = 0;
        if (starts(head, 0, 0xEF, 0xBB, 0xBF)) i = 3;
        while (i < head.length && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) i++;
        if (i < head.length && (head[i] == '{' || head[i] == '[')) return "application/json";
        if (head.length > 0 && printableUtf8(head)) return "text/plain";
        return "application/octet-stream";
    }

    /** A safetensors file: an 8-byte little-endian header length, then a JSON object. */
    private static boolean safetensors(byte[] h) {
        if (h.length < 10 || h[8] != '{') return false;
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (h[i] & 0xFF);
        return n > 1 && n < (100L << 20);
    }

    private static boolean printableUtf8(byte[] h) {
        for (byte b : h) {
            int c = b & 0xFF;
            if (c < 0x09 || c > 0x0D && c < 0x20 || c == 0x7F) return false;
        }
        return true;
    }

    /** Reads the facts of stored bytes; {@code open} is called at most twice (once for the head, once for the header). */
    static Facts probe(StreamSource open) {
        byte[] head;
        try (InputStream in = open.open()) {
            head = in.readNBytes(HEAD);
        } catch (IOException e) {
            return new Facts("application/octet-stream", null, null, null);
        }
        String type = sniff(head);
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

    private static boolean starts(byte[] h, int at, int... bytes) {
        if (h.length < at + bytes.length) return false;
        for (int i = 0; i < bytes.length; i++) if ((h[at + i] & 0xFF) != (bytes[i] & 0xFF)) return false;
        return true;
    }

    private static boolean ascii(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return h.length >= at + b.length && Arrays.equals(h, at, at + b.length, b, 0, b.length);
    }

    /** Opens the bytes from the start, each time anew. */
    @FunctionalInterface
    interface StreamSource {
        InputStream open() throws IOException;
    }
}
