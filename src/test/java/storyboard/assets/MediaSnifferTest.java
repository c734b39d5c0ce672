package storyboard.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import storyboard.support.Contract;

/**
 * The one sniffer over real files (src/test/resources/media, made by real encoders: see its README) and the client's
 * contract files, with exact media types; and the version's probe answering the same type as the blob's sniff.
 */
class MediaSnifferTest {
    private static final Path CORPUS = Path.of("src/test/resources/media");

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "sample.png, image/png",
        "sample.jpg, image/jpeg",
        "sample.gif, image/gif",
        "sample.webp, image/webp",
        "sample.avif, image/avif",
        "sample.heic, image/heic",
        "sample.bmp, image/bmp",
        "sample.tiff, image/tiff",
        "sample.wav, audio/wav",
        "sample-id3.mp3, audio/mpeg",
        "sample-bare-mpeg1.mp3, audio/mpeg",
        "sample-bare-mpeg25.mp3, audio/mpeg",
        "sample.flac, audio/flac",
        "sample.ogg, audio/ogg",
        "sample.opus, audio/ogg",
        "sample.m4a, audio/mp4",
        "sample.mp4, video/mp4",
        "sample.mov, video/quicktime",
        "sample.webm, video/webm",
        "sample.mkv, video/x-matroska",
        "sample.pdf, application/pdf",
        "sample.zip, application/zip",
        "sample.txt.gz, application/gzip",
        "sample.tar, application/x-tar",
        "sample.ora, image/openraster",
        // a ZIP whose mimetype entry says text/html: never served as something a browser runs
        "sample-html-mimetype.zip, application/zip",
        "sample.json, application/json",
        "sample-array.json, application/json",
        "sample-utf8.txt, text/plain",
        "sample-bom.txt, text/plain",
        "sample-utf16le.txt, text/plain",
        "sample-bm.txt, text/plain",
        "sample-brackets.txt, text/plain",
        "sample.svg, text/plain",
        "sample.safetensors, application/vnd.safetensors",
        "sample.bin, application/octet-stream",
        "empty, application/octet-stream",
    })
    void eachSampleHasItsType(String file, String type) {
        byte[] bytes = read(CORPUS.resolve(file));
        assertThat(MediaSniffer.sniff(bytes)).isEqualTo(type);
        assertThat(MediaSniffer.sniff(head(bytes))).as("from the head a blob keeps").isEqualTo(type);
        assertThat(MediaProbe.probe(() -> new ByteArrayInputStream(bytes)).mediaType()).as("the version's type").isEqualTo(type);
    }

    @Test
    void everyCorpusFileIsListed() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md"))).hasSize(37);
        }
    }

    @Test
    void theContractFiles() throws IOException {
        SoftAssertions soft = new SoftAssertions();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Contract.root())) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(20);
        for (Path f : files) {
            String name = f.getFileName().toString();
            String want = name.endsWith(".png") ? "image/png" : name.endsWith(".json") ? "application/json"
                    : name.endsWith(".md") ? "text/plain" : "application/octet-stream";
            byte[] bytes = read(f);
            soft.assertThat(MediaSniffer.sniff(bytes)).as(name).isEqualTo(want);
            soft.assertThat(MediaProbe.probe(() -> new ByteArrayInputStream(bytes)).mediaType()).as(name).isEqualTo(want);
        }
        soft.assertAll();
    }

    @Test
    void theSampleProjectsWavIsNoWav() {
        // line_001.wav says RIFF, then random bytes: no WAVE form type at offset 8 (and a RIFF size of 2.7 GB for
        // 260 bytes). It is registered as unknown bytes, under the name and declared type the client gave.
        byte[] wav = read(Contract.root().resolve("b-line/project-sample/assets/audio/line_001.wav"));
        assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(wav, 8, 4, StandardCharsets.ISO_8859_1)).isNotEqualTo("WAVE");
        assertThat(MediaSniffer.sniff(wav)).isEqualTo(MediaSniffer.UNKNOWN);
        // the same first 12 bytes with WAVE in place are a WAV
        byte[] fixed = Arrays.copyOf(wav, wav.length);
        System.arraycopy("WAVE".getBytes(StandardCharsets.US_ASCII), 0, fixed, 8, 4);
        assertThat(MediaSniffer.sniff(fixed)).isEqualTo("audio/wav");
    }

    @Test
    void probedFactsBesideTheType() {
        MediaProbe.Facts png = MediaProbe.probe(() -> new ByteArrayInputStream(read(CORPUS.resolve("sample.png"))));
        assertThat(png).isEqualTo(new MediaProbe.Facts("image/png", 16, 9, null));
        MediaProbe.Facts webp = MediaProbe.probe(() -> new ByteArrayInputStream(read(CORPUS.resolve("sample.webp"))));
        assertThat(webp).isEqualTo(new MediaProbe.Facts("image/webp", 16, 9, null));
        MediaProbe.Facts wav = MediaProbe.probe(() -> new ByteArrayInputStream(read(CORPUS.resolve("sample.wav"))));
        assertThat(wav).isEqualTo(new MediaProbe.Facts("audio/wav", null, null, 250L));
        MediaProbe.Facts avif = MediaProbe.probe(() -> new ByteArrayInputStream(read(CORPUS.resolve("sample.avif"))));
        assertThat(avif).isEqualTo(new MediaProbe.Facts("image/avif", null, null, null)); // no reader for its size
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
        // ISO media: a generic HEIF major brand, the codec in the compatible brands
        "mif1 then avif, 0000001c66747970 6d696631 00000000 6d696631 61766966 6d696166, image/avif",
        "mif1 then heic, 0000001c66747970 6d696631 00000000 6d696631 68656963 6d696166, image/heic",
        "mif1 alone, 0000001466747970 6d696631 00000000 6d696631, image/heif",
        "3gp, 0000001466747970 33677034 00000000 69736f6d, video/3gpp",
        "AVI, 52494646 24000000 41564920 4c495354, video/x-msvideo",
        "RF64 WAV, 52463634 ffffffff 57415645 64733634, audio/wav",
        "Ogg Theora, 4f676753 0002 0000000000000000 01020304 00000000 00000000 01 2a 80 7468656f7261, video/ogg",
        "EBML without DocType in the head, 1a45dfa3 01000000, video/webm",
        // AAC (ADTS) shares MP3's sync bits but has layer 0
        "ADTS, fff15080 02 1f fc, application/octet-stream",
        "MPEG frame with a reserved bitrate, fffbf0c4 0000, application/octet-stream",
        "UTF-16BE text, feff 0053 0048 004f 0054, text/plain",
        "UTF-16LE binary, fffe 0100 0200 0300, application/octet-stream",
        "BM then binary, 424d 0000 0000 0000 0000 3600 0000 2800 0000, image/bmp",
        "a NUL in text, 68656c6c6f 00 776f726c64, application/octet-stream",
        "Latin-1 text, 636166e9 0a, application/octet-stream",
        "JSON scalar, 2231323322, text/plain",
        "empty JSON object, 7b7d, application/json",
        "safetensors with a tiny header, 0200000000000000 7b7d, application/vnd.safetensors",
    })
    void constructedHeads(String what, String hex, String type) {
        assertThat(MediaSniffer.sniff(HexFormat.of().parseHex(hex.replace(" ", "")))).as(what).isEqualTo(type);
    }

    @Test
    void onlyTheHeadCounts() {
        // text for the first 512 bytes, binary after: the blob and the version see the same 512 bytes, so both say text
        byte[] b = new byte[MediaSniffer.HEAD + 100];
        Arrays.fill(b, (byte) 'a');
        b[MediaSniffer.HEAD + 10] = 0;
        assertThat(MediaSniffer.sniff(b)).isEqualTo("text/plain");
        assertThat(MediaProbe.probe(() -> new ByteArrayInputStream(b)).mediaType()).isEqualTo("text/plain");
        b[MediaSniffer.HEAD - 1] = 0;
        assertThat(MediaSniffer.sniff(b)).isEqualTo(MediaSniffer.UNKNOWN);
        // a character cut by the end of the head is still text
        byte[] cut = new byte[MediaSniffer.HEAD + 3];
        Arrays.fill(cut, (byte) 'a');
        byte[] e = "\u00e9\u65e5".getBytes(StandardCharsets.UTF_8); // 2 + 3 bytes
        System.arraycopy(e, 0, cut, MediaSniffer.HEAD - 3, e.length);
        assertThat(MediaSniffer.sniff(cut)).isEqualTo("text/plain");
    }

    private static byte[] head(byte[] b) {
        return Arrays.copyOf(b, Math.min(b.length, MediaSniffer.HEAD));
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
