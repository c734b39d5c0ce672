package storyboard.api;

import java.util.Locale;

/** Sizes for people, as pages and commands show them. */
public final class Sizes {
    private Sizes() {}

    /** Bytes, KiB, MiB, GiB or TiB: one decimal below 10 of a unit ("3.4 MiB"), none above ("339 KiB"). */
    public static String human(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[i]);
    }
}
