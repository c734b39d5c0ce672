package storyboard.api;

import java.util.Locale;
import java.util.Optional;

/** The media type a file's name suggests, for the kinds of files a storyboard studio keeps. */
public final class MediaTypes {
    private MediaTypes() {}

    /** By the name's extension ("thumbnails/panel_1.png" → image/png); empty when it says nothing known. */
    public static Optional<String> byName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot < name.lastIndexOf('/')) return Optional.empty();
        return Optional.ofNullable(switch (name.substring(dot + 1).toLowerCase(Locale.ROOT)) {
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "webp" -> "image/webp";
            case "gif" -> "image/gif";
            case "wav" -> "audio/wav";
            case "mp3" -> "audio/mpeg";
            case "mp4" -> "video/mp4";
            case "mov" -> "video/quicktime";
            case "json" -> "application/json";
            case "txt", "md", "log" -> "text/plain; charset=utf-8";
            case "pdf" -> "application/pdf";
            default -> null;
        });
    }
}
