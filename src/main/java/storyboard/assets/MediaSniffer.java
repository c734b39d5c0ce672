package storyboard.assets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The media type of stored bytes from their first {@link #HEAD} bytes, never from a name or from what the client
 * declared: the one sniffer for blobs ({@link BlobIndex}) and asset versions ({@link MediaProbe}), so the two always
 * agree. A small table of magic numbers for what a storyboard studio stores (images, audio, video, documents, model
 * weights, archives), then UTF-8 or UTF-16 text and JSON. Anything else is {@link #UNKNOWN}.
 *
 * <p>Never answers a type a browser would run (HTML, SVG, XML): blobs are served with the sniffed type.
 * Chosen over Apache Tika's detector: see bench/results/media-sniffing.md.
 */
public final class MediaSniffer {
    public static final String UNKNOWN = "application/octet-stream";
    /** How many leading bytes {@link #sniff} looks at: the head {@link Hasher} keeps of every upload. */
    public static final int HEAD = Hasher.HEAD;
    private static final Pattern PACKAGED_TYPE = Pattern.compile("(application|image|audio|video|model)/[a-z0-9][a-z0-9.+-]*");
    /** Types a browser would render or run, never answered even when a file names them. */
    private static final Pattern RUNNABLE = Pattern.compile("html|xml|svg|script");

    private MediaSniffer() {}

    /** The media type of bytes that begin with {@code head}; only its first {@link #HEAD} bytes count. */
    public static String sniff(byte[] head) {
        byte[] b = head.length > HEAD ? Arrays.copyOf(head, HEAD) : head;
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "image/gif";
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image/webp";
        if ((ascii(b, 0, "RIFF") || ascii(b, 0, "RF64") || ascii(b, 0, "BW64")) && ascii(b, 8, "WAVE")) return "audio/wav";
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "AVI ")) return "video/x-msvideo";
        if (ascii(b, 4, "ftyp") && b.length >= 12) return isoMedia(b);
        if (starts(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) return matroska(b);
        if (ascii(b, 0, "OggS")) return ascii(b, 28, "\u0080theora") ? "video/ogg" : "audio/ogg";
        if (ascii(b, 0, "fLaC")) return "audio/flac";
        if (ascii(b, 0, "%PDF-")) return "application/pdf";
        if (starts(b, 0, 'P', 'K', 3, 4)) return zip(b);
        if (starts(b, 0, 0x1F, 0x8B)) return "application/gzip";
        if (ascii(b, 257, "ustar")) return "application/x-tar";
        if (ascii(b, 0, "II*\0") || ascii(b, 0, "MM\0*")) return "image/tiff";
        if (bmp(b)) return "image/bmp";
        if (safetensors(b)) return "application/vnd.safetensors";
        // Text before MPEG audio: a UTF-16 byte order mark (FF FE) is also a valid MPEG frame sync.
        int text = textStart(b);
        if (text >= 0) return json(b, text) ? "application/json" : "text/plain";
        if (ascii(b, 0, "ID3") || mpegAudioFrame(b)) return "audio/mpeg";
        return UNKNOWN;
    }

    /** ISO base media files (MP4, QuickTime, HEIF, AVIF): the major brand, then the compatible ones. */
    private static String isoMedia(byte[] b) {
        String major = latin1(b, 8, 4);
        switch (major) {
            case "qt  ":
                return "video/quicktime";
            case "M4A ", "M4B ", "M4P ":
                return "audio/mp4";
            case "avif", "avis":
                return "image/avif";
            case "heic", "heix", "heim", "heis", "hevc", "hevx":
                return "image/heic";
            case "mif1", "msf1": {
                // a generic HEIF brand: the compatible brands (after the minor version) say which codec
                long boxSize = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
                int end = (int) Math.min(boxSize, b.length);
                for (int at = 16; at + 4 <= end; at += 4) {
                    String brand = latin1(b, at, 4);
                    if (brand.equals("avif") || brand.equals("avis")) return "image/avif";
                    if (brand.equals("heic") || brand.equals("heix")) return "image/heic";
                }
                return "image/heif";
            }
            default:
                if (major.startsWith("3gp")) return "video/3gpp";
                if (major.startsWith("3g2")) return "video/3gpp2";
                return "video/mp4";
        }
    }

    /** EBML: the DocType element (ID 0x4282) says WebM or Matroska; WebM when it is not in the head. */
    private static String matroska(byte[] b) {
        for (int i = 4; i + 3 < b.length; i++) {
            if ((b[i] & 0xFF) == 0x42 && (b[i + 1] & 0xFF) == 0x82) {
                int size = b[i + 2] & 0xFF;
                if (size < 0x81 || size > 0x88) continue; // a one-byte size: 1..8 characters
                if (ascii(b, i + 3, "matroska")) return "video/x-matroska";
                if (ascii(b, i + 3, "webm")) return "video/webm";
            }
        }
        return "video/webm";
    }

    /**
     * A ZIP, or a format packaged as one whose first entry is an uncompressed {@code mimetype} file (the OpenDocument
     * convention: OpenRaster, Krita, EPUB, ODF), which then gives the type, unless a browser would run it.
     */
    private static String zip(byte[] b) {
        if (b.length >= 38 && ascii(b, 30, "mimetype") && b[8] == 0 && b[9] == 0) {
            int nameLength = u16le(b, 26);
            int extraLength = u16le(b, 28);
            int size = (int) Math.min(u16le(b, 18) | (long) u16le(b, 20) << 16, 100);
            int at = 30 + nameLength + extraLength;
            if (nameLength == 8 && at + size <= b.length && size > 0) {
                String type = latin1(b, at, size);
                if (PACKAGED_TYPE.matcher(type).matches() && !RUNNABLE.matcher(type).find()) return type;
            }
        }
        return "application/zip";
    }

    /** "BM", two reserved 16-bit zeros, and a known DIB header size: a text starting with "BM" is not a bitmap. */
    private static boolean bmp(byte[] b) {
        if (!ascii(b, 0, "BM") || b.length < 18 || b[6] != 0 || b[7] != 0 || b[8] != 0 || b[9] != 0) return false;
        long dib = (b[14] & 0xFFL) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (long) (b[17] & 0xFF) << 24;
        return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
    }

    /** safetensors: an 8-byte little-endian header length, then a JSON object. */
    private static boolean safetensors(byte[] b) {
        if (b.length < 10) return false;
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (b[i] & 0xFF);
        return n > 1 && n < 100_000_000 && b[8] == '{' && (b[9] == '"' || b[9] == '}');
    }

    /**
     * An MPEG audio frame header (MP3 without an ID3 tag): the 11-bit sync, a version and a layer, and a bitrate and
     * sample rate that are not the reserved values. AAC's ADTS header has layer 0 and is not taken.
     */
    private static boolean mpegAudioFrame(byte[] b) {
        if (b.length < 3 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xE0) != 0xE0) return false;
        boolean version = (b[1] & 0x18) != 0x08;
        boolean layer = (b[1] & 0x06) != 0;
        boolean bitrate = (b[2] & 0xF0) != 0xF0 && (b[2] & 0xF0) != 0; // neither "bad" nor the rare "free format"
        boolean rate = (b[2] & 0x0C) != 0x0C;
        return version && layer && bitrate && rate;
    }

    /**
     * Where the text starts (after a byte order mark) when the head is UTF-8 or UTF-16 (with its BOM) text without
     * control characters other than tab, line breaks, form feed and escape; -1 when it is not text. A multi-byte
     * character cut by the end of the head counts as text. Empty bytes are not text.
     */
    private static int textStart(byte[] b) {
        if (b.length == 0) return -1;
        if (starts(b, 0, 0xFE, 0xFF) || starts(b, 0, 0xFF, 0xFE)) return utf16(b, b[0] == (byte) 0xFE) ? 2 : -1;
        int start = starts(b, 0, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        int i = start;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                if (!textual(c)) return -1;
                i++;
                continue;
            }
            int more;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                more = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                more = 3;
                min = 0x10000;
            } else {
                return -1;
            }
            int cp = c & (0x3F >> more);
            for (int k = 1; k <= more; k++) {
                if (i + k >= b.length) return start; // cut by the end of the head
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return -1;
                cp = cp << 6 | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) return -1;
            i += more + 1;
        }
        return start;
    }

    private static boolean utf16(byte[] b, boolean bigEndian) {
        if (b.length < 4) return false;
        for (int i = 2; i + 1 < b.length; i += 2) {
            int c = bigEndian ? (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF) : (b[i + 1] & 0xFF) << 8 | (b[i] & 0xFF);
            if (c < 0x80 && !textual(c)) return false;
        }
        return true;
    }

    private static boolean textual(int c) {
        return c >= 0x20 && c != 0x7F || c >= 0x09 && c <= 0x0D || c == 0x1B;
    }

    /** JSON text: an object or an array, whose first member looks like one ("[Scene 1]" is not JSON). */
    private static boolean json(byte[] b, int from) {
        int i = skipSpace(b, from);
        if (i >= b.length || (b[i] != '{' && b[i] != '[')) return false;
        boolean object = b[i] == '{';
        int j = skipSpace(b, i + 1);
        if (j >= b.length) return true;
        int c = b[j];
        if (object) return c == '"' || c == '}';
        return c == '{' || c == '[' || c == '"' || c == ']' || c == '-' || c >= '0' && c <= '9'
                || c == 't' || c == 'f' || c == 'n';
    }

    private static int skipSpace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
        return i;
    }

    private static int u16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static String latin1(byte[] b, int at, int length) {
        return new String(b, at, length, StandardCharsets.ISO_8859_1);
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
