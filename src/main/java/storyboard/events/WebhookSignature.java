package storyboard.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import storyboard.kernel.Secrets;

/**
 * The {@code Storyboard-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}.
 * Signing the timestamp with the body lets a receiver refuse replays of old requests.
 */
public final class WebhookSignature {
    public static final String HEADER = "Storyboard-Signature";
    public static final String SECRET_PREFIX = "whsec_";

    private WebhookSignature() {}

    /** A new signing secret: 256 random bits. */
    public static String newSecret() {
        return Secrets.generate(SECRET_PREFIX);
    }

    /** The header value for this body, signed at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
    }

    public static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * What a receiver does (here for tests and Java receivers): the header's timestamp within
     * {@code toleranceSeconds} of {@code nowSeconds}, and a {@code v1} that equals the HMAC, compared in constant time.
     */
    public static boolean verify(String secret, String header, String body, long nowSeconds, long toleranceSeconds) {
        if (header == null) return false;
        Long t = null;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) continue;
            if (kv[0].equals("t")) {
                try {
                    t = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (t == null || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
        byte[] expected = hmacHex(secret, t + "." + body).getBytes(StandardCharsets.UTF_8);
        for (String s : signatures) {
            if (MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.UTF_8))) return true;
        }
        return false;
    }
}
