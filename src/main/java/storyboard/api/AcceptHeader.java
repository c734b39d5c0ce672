package storyboard.api;

import java.util.Locale;

/**
 * Whether a request's {@code Accept} header allows a media type (RFC 9110, 12.5.1): no header allows anything;
 * otherwise the most specific range that covers the type ({@code type/subtype}, then {@code type/*}, then
 * {@code *}{@code /*}) decides, and it must not have {@code q=0}. Malformed ranges are ignored; a header with no
 * well-formed range at all counts as absent.
 */
public final class AcceptHeader {
    private AcceptHeader() {}

    /** True when {@code header} (null: none sent) accepts {@code mediaType}, given as {@code type/subtype}. */
    public static boolean accepts(String header, String mediaType) {
        if (header == null || header.isBlank()) return true;
        String[] wanted = mediaType.toLowerCase(Locale.ROOT).split("/", 2);
        int bestSpecificity = -1;
        double bestQ = 0;
        boolean anyValid = false;
        for (String range : header.split(",")) {
            String[] parts = range.split(";");
            String[] type = parts[0].trim().toLowerCase(Locale.ROOT).split("/", -1);
            if (type.length != 2 || type[0].isEmpty() || type[1].isEmpty() || type[0].equals("*") && !type[1].equals("*")) {
                continue;
            }
            Double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("q")) q = qValue(p.substring(eq + 1).trim());
            }
            if (q == null) continue;
            anyValid = true;
            int specificity;
            if (type[0].equals(wanted[0]) && type[1].equals(wanted[1])) {
                specificity = 2;
            } else if (type[0].equals(wanted[0]) && type[1].equals("*")) {
                specificity = 1;
            } else if (type[0].equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity || specificity == bestSpecificity && q > bestQ) {
                bestSpecificity = specificity;
                bestQ = q;
            }
        }
        if (!anyValid) return true;
        return bestSpecificity >= 0 && bestQ > 0;
    }

    /** A weight from 0 to 1 with at most three decimals, or null when malformed. */
    private static Double qValue(String s) {
        if (!s.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) return null;
        return Double.parseDouble(s);
    }
}
