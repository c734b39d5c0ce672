package storyboard.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import storyboard.server.DatabaseUrl;
import storyboard.support.TestDatabase;
import storyboard.support.TestServer;

/**
 * The docs' shell examples run as written, and their links lead somewhere.
 * <p>
 * Every page (README.md, then docs/README.md and the pages it links to, in its order) has its {@code sh} blocks
 * run top to bottom as one bash script ({@code set -Eeuo pipefail}) against one fresh server, the way a reader
 * runs them: from the root of a clone (here a scratch folder of its own per page, with {@code bin} and
 * {@code src} linked to the repository's), with the environment the docs tell readers to set up: {@code SERVER},
 * {@code TOKEN} (the admin token the server printed at its first start), and, for the command line,
 * {@code DATABASE_URL} and {@code STORYBOARD_DATA_DIR} of that server, and {@code STORYBOARD_CLASSPATH} so that
 * {@code bin/storyboard-server} runs the compiled classes. A curl shim first on PATH fails a command whose HTTP
 * status is not 2xx/3xx, or not exactly the one its {@code # NNN} comment shows (see {@link ShellScript}); every
 * other command must exit 0. See docs/testing.md, "The docs examples".
 */
class DocsExamplesTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    /** Info strings of blocks that are not run: output, requests, files, other languages. */
    static final Set<String> NOT_SHELL = Set.of("console", "text", "http", "json", "yaml", "python", "dotenv", "sql",
            "java", "diff");
    private static final Pattern INDENTED_SHELL = Pattern.compile("^( {4}|\\t)\\s*(\\$ |curl |bin/|\\./|java |export |storyboard-server ).*");

    private static TestServer server;
    private static String adminToken;
    private static String databaseUrl;
    private static Path dataDir;
    private static Path shimDir;
    private static String realCurl;

    // ---- which pages, in which order ---------------------------------------------------------------------

    /** README.md, docs/README.md, then every page docs/README.md links to, in its order. */
    static List<Path> pages() {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("docs/README.md")));
        Markdown index = Markdown.read(ROOT.resolve("docs/README.md"));
        for (Markdown.Link l : index.links()) {
            String target = l.target().replaceAll("#.*$", "");
            if (!target.endsWith(".md") || target.contains("://")) continue;
            Path p = ROOT.resolve("docs").resolve(target).normalize();
            if (p.startsWith(ROOT.resolve("docs")) && !out.contains(p)) out.add(p);
        }
        return out;
    }

    static String relative(Path p) {
        return ROOT.relativize(p).toString();
    }

    @Test
    void everyDocsPageIsInTheIndex() throws IOException {
        List<Path> listed = pages();
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            List<String> missing = files.filter(p -> p.toString().endsWith(".md")).filter(p -> !listed.contains(p))
                    .map(DocsExamplesTest::relative).sorted().toList();
            assertThat(missing).as("docs pages that docs/README.md does not link to (so their examples would never run)")
                    .isEmpty();
        }
    }

    @Test
    void readmeStartsWithTheTwoCommands() {
        Markdown readme = Markdown.read(ROOT.resolve("README.md"));
        List<String> head = readme.lines.stream().filter(l -> !l.isBlank()).limit(2).toList();
        assertThat(head.get(0)).startsWith("# ");
        Markdown.Block first = readme.blocks.get(0);
        assertThat(readme.lines.subList(1, first.fenceLine() - 1)).as("only blank lines between the title and the commands")
                .allMatch(String::isBlank);
        assertThat(first.lines()).containsExactly("./mvnw -q package -DskipTests && bin/storyboard-server", "./mvnw test");
    }

    @Test
    void everyCodeBlockSaysWhatItIs() {
        List<String> problems = new ArrayList<>();
        List<String> noRun = new ArrayList<>();
        for (Path page : pages()) {
            Markdown md = Markdown.read(page);
            for (Markdown.Block b : md.blocks) {
                String info = b.info().strip().replaceAll("\\s+", " ");
                if (info.equals("sh no-run")) noRun.add(relative(page) + ":" + b.fenceLine());
                if (info.equals("sh") || info.equals("sh no-run") || NOT_SHELL.contains(info)) continue;
                problems.add(relative(page) + ":" + b.fenceLine() + ": code block with info string '" + info
                        + "': use sh (run by this test), sh no-run (say why in the text), or one of " + NOT_SHELL);
            }
            for (int n : md.proseLines) {
                String line = md.lines.get(n - 1);
                boolean afterBlank = n == 1 || md.lines.get(n - 2).isBlank() || INDENTED_SHELL.matcher(md.lines.get(n - 2)).matches();
                if (afterBlank && INDENTED_SHELL.matcher(line).matches() && !line.strip().startsWith("-")) {
                    problems.add(relative(page) + ":" + n + ": an indented code block that looks like a command; fence it as sh");
                }
            }
        }
        System.out.println("[docs] sh no-run blocks: " + noRun);
        assertThat(problems).isEmpty();
    }

    @Test
    void relativeLinksLeadToFilesAndAnchors() {
        List<Path> files = new ArrayList<>(pages());
        List<String> problems = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path page : files) {
            for (Markdown.Link l : Markdown.read(page).links()) {
                String t = l.target();
                if (t.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) continue; // https:, mailto:
                String path = t.contains("#") ? t.substring(0, t.indexOf('#')) : t;
                String anchor = t.contains("#") ? t.substring(t.indexOf('#') + 1) : null;
                Path target = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                String where = relative(page) + ":" + l.line() + ": " + t;
                if (!target.startsWith(ROOT)) {
                    problems.add(where + ": leads out of the repository");
                } else if (!Files.exists(target)) {
                    problems.add(where + ": no such file");
                } else if (anchor != null && target.toString().endsWith(".md")) {
                    Set<String> known = anchors.computeIfAbsent(target, p -> Markdown.read(p).anchors());
                    if (!known.contains(anchor)) problems.add(where + ": no heading makes the anchor #" + anchor);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    // ---- running the examples ------------------------------------------------------------------------------

    @BeforeAll
    static void startServer() throws IOException {
        dataDir = Files.createTempDirectory("storyboard-docs-data");
        DatabaseUrl db = TestDatabase.get().newDatabase();
        databaseUrl = TestDatabase.asSetting(db);
        Map<String, String> settings = new HashMap<>();
        settings.put("AUTH_TOKEN", null); // a fresh server: no AUTH_TOKEN, so it makes an admin token at first start
        settings.put("STORYBOARD_DATA_DIR", dataDir.toString());
        server = TestServer.start(db, settings);
        adminToken = server.app().initialAdminToken().orElseThrow(() ->
                new AssertionError("a fresh server prints an admin token at its first start"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
        deleteTree(dataDir);
    }

    @TestFactory
    Stream<DynamicTest> examplesRunAsWritten() {
        checkTools();
        // -Ddocs.pages=prompt-registry,assets runs only the pages whose path holds one of these (while writing docs).
        List<String> only = List.of(System.getProperty("docs.pages", "").split(",")).stream().filter(s -> !s.isBlank()).toList();
        return pages().stream().filter(p -> only.isEmpty() || only.stream().anyMatch(relative(p)::contains))
                .map(page -> DynamicTest.dynamicTest(relative(page), () -> runPage(page)));
    }

    /** bash, curl and jq: a machine with only a JDK skips the examples (loudly); CI must have them. */
    private static void checkTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("bash", "curl", "jq")) if (which(tool, null) == null) missing.add(tool);
        if (missing.isEmpty()) {
            realCurl = which("curl", null);
            return;
        }
        String reason = "the docs examples need " + String.join(", ", missing) + " on PATH";
        if (System.getenv("CI") != null) fail(reason + " (CI is set, so this is a failure; .ci/run installs them)");
        System.err.println("\n[docs] SKIPPING THE DOCS EXAMPLES: " + reason + ".\n");
        Assumptions.assumeTrue(false, reason);
    }

    private static String which(String tool, String skipDir) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty() || dir.equals(skipDir)) continue;
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static synchronized Path shimDir() throws IOException {
        if (shimDir == null) {
            shimDir = Files.createTempDirectory("storyboard-docs-shim");
            Path curl = shimDir.resolve("curl");
            try (InputStream in = DocsExamplesTest.class.getResourceAsStream("curl")) {
                Files.write(curl, in.readAllBytes());
            }
            Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return shimDir;
    }

    private void runPage(Path page) throws Exception {
        Markdown md = Markdown.read(page);
        ShellScript script = new ShellScript();
        script.add("set -Eeuo pipefail", 0);
        script.add("trap 'docs_rc=$?; echo \"@@DOCS_ERR line=$LINENO exit=$docs_rc\" >&2' ERR", 0);
        int blocks = 0;
        for (Markdown.Block b : md.blocks) {
            if (!b.info().strip().equals("sh")) continue;
            script.addBlock(b);
            blocks++;
        }
        if (blocks == 0) return;

        Path scratch = Files.createTempDirectory("storyboard-docs-page");
        try {
            Files.createSymbolicLink(scratch.resolve("bin"), ROOT.resolve("bin"));
            Files.createSymbolicLink(scratch.resolve("src"), ROOT.resolve("src"));
            Path home = Files.createDirectories(scratch.resolve(".home"));
            Path scriptFile = Files.createTempFile("storyboard-docs", ".sh");
            Path statusLog = Files.createTempFile("storyboard-docs", ".status");
            Path output = Files.createTempFile("storyboard-docs", ".out");
            Files.writeString(scriptFile, script.text());

            ProcessBuilder pb = new ProcessBuilder("bash", scriptFile.toString()).directory(scratch.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> env = pb.environment();
            String path = env.getOrDefault("PATH", "/usr/bin:/bin");
            env.clear();
            env.put("PATH", shimDir() + File.pathSeparator + Path.of(System.getProperty("java.home"), "bin")
                    + File.pathSeparator + path);
            env.put("HOME", home.toString());
            env.put("LANG", "C.UTF-8");
            env.put("SERVER", server.baseUrl());
            env.put("TOKEN", adminToken);
            env.put("DATABASE_URL", databaseUrl);
            env.put("STORYBOARD_DATA_DIR", dataDir.toString());
            env.put("STORYBOARD_CLASSPATH", System.getProperty("surefire.test.class.path",
                    System.getProperty("java.class.path")));
            env.put("DOCS_REAL_CURL", realCurl);
            env.put("DOCS_STATUS_LOG", statusLog.toString());
            if (System.getenv("CI") != null) env.put("CI", System.getenv("CI"));

            Process p = pb.start();
            boolean done = p.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            // Kept for reading what the examples printed: target/docs-examples/<page>.log (and the script run).
            Path logs = Files.createDirectories(ROOT.resolve("target/docs-examples"));
            String base = relative(page).replace('/', '_');
            Files.writeString(logs.resolve(base + ".log"), out);
            Files.writeString(logs.resolve(base + ".sh"), script.text());
            String log = Files.readString(statusLog);
            Files.deleteIfExists(scriptFile);
            Files.deleteIfExists(statusLog);
            Files.deleteIfExists(output);
            if (!done) fail(relative(page) + ": the examples did not finish within 5 minutes; output:\n" + tail(out));
            if (p.exitValue() != 0) fail(failure(page, script, out, p.exitValue()));
            List<String> unchecked = new ArrayList<>();
            Set<String> checked = new LinkedHashSet<>();
            for (String l : log.split("\n")) if (!l.isBlank()) checked.add(l.split(" ")[0]);
            for (ShellScript.Command c : script.commands) {
                if (c.expectedStatus() != null && !checked.contains(String.valueOf(c.firstLine()))) {
                    unchecked.add(relative(page) + ":" + c.firstLine() + ": `" + c.text() + "` shows status "
                            + c.expectedStatus() + " but made no HTTP request through curl");
                }
            }
            assertThat(unchecked).isEmpty();
        } finally {
            deleteTree(scratch);
        }
    }

    private static final Pattern ERR = Pattern.compile("@@DOCS_ERR line=(\\d+) exit=(\\d+)");
    private static final Pattern CURL = Pattern.compile("@@DOCS_CURL expected=(\\S+) actual=(.*?) curl_exit=(\\d+)\\n(.*?)\\n?@@DOCS_CURL_END",
            Pattern.DOTALL);

    /** Names the page, line and command that failed, and why: the status expected and got and the answer, or the output. */
    private static String failure(Path page, ShellScript script, String out, int exit) {
        Integer pageLine = null;
        Matcher e = ERR.matcher(out);
        while (e.find()) {
            int scriptLine = Integer.parseInt(e.group(1));
            if (scriptLine >= 1 && scriptLine <= script.pageLines.size() && script.pageLines.get(scriptLine - 1) > 0) {
                pageLine = script.pageLines.get(scriptLine - 1);
            }
        }
        ShellScript.Command c = pageLine == null ? null : script.commandAt(pageLine);
        StringBuilder b = new StringBuilder();
        b.append(relative(page)).append(':').append(c != null ? c.firstLine() : pageLine == null ? "?" : pageLine)
                .append(": the example failed");
        if (c != null) b.append(":\n    ").append(c.text().replace("\n", "\n    "));
        Matcher m = CURL.matcher(out);
        String lastCurl = null;
        while (m.find()) {
            lastCurl = "\n  expected HTTP " + m.group(1) + ", got " + m.group(2) + " (curl exit code " + m.group(3)
                    + ")\n  answer: " + m.group(4).strip();
        }
        if (lastCurl != null) b.append(lastCurl);
        else b.append("\n  exit code ").append(exit);
        b.append("\n  output (last lines):\n").append(tail(out));
        return b.toString();
    }

    private static String tail(String out) {
        String[] lines = out.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, lines.length - 25); i < lines.length; i++) {
            String l = lines[i];
            b.append("    | ").append(l.length() > 400 ? l.substring(0, 400) + " [...]" : l).append('\n');
        }
        return b.toString();
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
