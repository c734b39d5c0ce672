package storyboard.assets;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** SHA-256 and MD5 of a stream of bytes, and its first bytes (for sniffing the media type). */
public final class Hasher {
    public static final int HEAD = 512;

    private final MessageDigest sha = digest("SHA-256");
    private final MessageDigest md5 = digest("MD5");
    private final byte[] head = new byte[HEAD];
    private int headLength;
    private long size;

    public void update(byte[] buf, int off, int len) {
        if (headLength < HEAD) {
            int n = Math.min(HEAD - headLength, len);
            System.arraycopy(buf, off, head, headLength, n);
            headLength += n;
        }
        sha.update(buf, off, len);
        md5.update(buf, off, len);
        size += len;
    }

    public long size() {
        return size;
    }

    public byte[] head() {
        return Arrays.copyOf(head, headLength);
    }

    /** The hex digests (sha256, md5); the hasher is spent afterwards. */
    public String[] finish() {
        return new String[] {HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest())};
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
