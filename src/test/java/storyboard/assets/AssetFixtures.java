package storyboard.assets;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import storyboard.support.TestServer;

/** Files and requests the asset tests share. */
public final class AssetFixtures {
    private AssetFixtures() {}

    public static byte[] image(String format, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color((int) (Math.random() * 0xFFFFFF)));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.drawString(UUID.randomUUID().toString(), 5, Math.max(12, height / 2));
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A silent 16-bit mono WAV of this many milliseconds at 8 kHz, with a random last sample (unique bytes). */
    public static byte[] wav(int millis) {
        int frames = 8 * millis;
        byte[] pcm = new byte[frames * 2];
        pcm[pcm.length - 1] = (byte) (Math.random() * 100);
        pcm[pcm.length - 2] = (byte) (Math.random() * 100);
        AudioFormat f = new AudioFormat(8000, 16, 1, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), f, frames), AudioFileFormat.Type.WAVE, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String sha256(byte[] b) {
        return hex("SHA-256", b);
    }

    public static String md5(byte[] b) {
        return hex("MD5", b);
    }

    private static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads bytes as a blob (the blob API's PUT) and returns their SHA-256. */
    public static String putBlob(TestServer server, String token, byte[] bytes) {
        String sha = sha256(bytes);
        TestServer.Response r = server.send(server.anonymous("/api/v1/blobs/" + sha).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        if (r.status() != 201 && r.status() != 200) throw new AssertionError("blob not stored: " + r);
        return sha;
    }

    /** A multipart/form-data body: the 'asset' JSON field (if not null) and the 'file' part (if not null). */
    public record Multipart(String contentType, byte[] body) {
        public HttpRequest.BodyPublisher publisher() {
            return HttpRequest.BodyPublishers.ofByteArray(body);
        }
    }

    public static Multipart multipart(String assetJson, String fileName, String fileType, byte[] file) {
        String boundary = "----sb" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (assetJson != null) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"asset\"\r\n"
                        + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(assetJson.getBytes(StandardCharsets.UTF_8));
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            if (file != null) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(file);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    public static TestServer.Response postMultipart(TestServer server, String token, String path, Multipart m) {
        return server.send(server.anonymous(path).header("Authorization", "Bearer " + token)
                .header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    /** Creates an asset with this file (multipart) and returns the answer, which must be 201. */
    public static TestServer.Response upload(TestServer server, String token, String assetJson, String fileName,
                                             String fileType, byte[] file) {
        TestServer.Response r = postMultipart(server, token, "/api/v1/assets", multipart(assetJson, fileName, fileType, file));
        if (r.status() != 201) throw new AssertionError("asset not created: " + r);
        return r;
    }
}
