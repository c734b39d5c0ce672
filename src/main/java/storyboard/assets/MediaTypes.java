package storyboard.assets;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The media type of a blob from its first bytes: a small table of magic numbers for what a storyboard studio
 * stores (images, audio, video, PDF, JSON, model weights). Unknown bytes give {@code application/octet-stream}.
 */
public final class MediaTypes {
    public static final String UNKNOWN = "application/octet-stream";

    private MediaTypes() {}

    public static String sniff(byte[] b) {
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "image/gif";
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image/webp";
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return "audio/wav";
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "AVI ")) return "video/x-msvideo";
        if (ascii(b, 4, "ftyp")) {
            String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.ISO_8859_1) : "";
            if (brand.equals("qt  ")) return "video/quicktime";
            if (brand.startsWith("M4A")) return "audio/mp4";
            if (brand.equals("avif") || brand.equals("avis")) return "image/avif";
            if (brand.equals("heic") || brand.equals("heix") || brand.equals("mif1")) return "image/heic";
            return "video/mp4";
        }
        if (starts(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) return "video/webm";
        if (ascii(b, 0, "ID3") || (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x06) != 0)) {
            return "audio/mpeg";
        }
        if (ascii(b, 0, "OggS")) return "audio/ogg";
        if (ascii(b, 0, "fLaC")) return "audio/flac";
        if (ascii(b, 0, "%PDF-")) return "application/pdf";
        if (starts(b, 0, 'P', 'K', 3, 4)) return "application/zip";
        if (starts(b, 0, 0x1F, 0x8B)) return "application/gzip";
        if (ascii(b, 0, "II*\0") || ascii(b, 0, "MM\0*")) return "image/tiff";
        if (ascii(b, 0, "BM") && b.length >= 14) return "image/bmp";
        if (safetensors(b)) return "application/vnd.safetensors";
        if (json(b)) return "application/json";
        return UNKNOWN;
    }

    /** safetensors: an 8-byte little-endian header length, then a JSON object. */
    private static boolean safetensors(byte[] b) {
        if (b.length < 10) return false;
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 1 && n < 100_000_000 && b[8] == '{' && (b[9] == '"' || b[9] == '}');
    }

    private static boolean json(byte[] b) {
        int i = 0;
        if (starts(b, 0, 0xEF, 0xBB, 0xBF)) i = 3;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
        if (i >= b.length || (b[i] != '{' && b[i] != '[')) return false;
        for (int j = i; j < b.length; j++) if (b[j] == 0) return false;
        return true;
    }

    private static boolean starts(byte[] b, int at, int... magic) {
        if (b.length < at + magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[at + i] & 0xFF) != magic[i]) return false;
        return true;
    }

    private static boolean ascii(byte[] b, int at, String magic) {
        if (b.length < at + magic.length()) return false;
        for (int i = 0; i < magic.length(); i++) if (b[at + i] != (byte) magic.charAt(i)) return false;
        return true;
    }
}
