package storyboard.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import storyboard.server.App;
import storyboard.server.Config;
import storyboard.server.Logging;
import storyboard.server.OutOfMemory;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the server (the default command).",
                "Its settings, below, come from flags, the environment or ./.env."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--host", description = "Address to listen on (HOST)")
    String host;

    @Option(names = "--port", description = "Port to listen on (PORT)")
    String port;

    @Option(names = "--auth-token", description = "A token accepted with full rights (AUTH_TOKEN; prefer the environment, where other users cannot see it)")
    String authToken;

    @Option(names = "--cors-origins", description = "Comma-separated origins allowed by CORS (CORS_ORIGINS)")
    String corsOrigins;

    @Option(names = "--log-file", description = "Also write logs to this file (LOG_FILE)")
    String logFile;

    @Option(names = "--log-format", description = "text or json (LOG_FORMAT)")
    String logFormat;

    @Option(names = "--max-body-bytes", description = "Largest accepted log body in bytes (MAX_BODY_BYTES)")
    String maxBodyBytes;

    @Override
    public Integer call() throws InterruptedException {
        var flags = database.flags();
        flags.putAll(Main.flags("HOST", host, "PORT", port, "AUTH_TOKEN", authToken, "CORS_ORIGINS", corsOrigins,
                "LOG_FILE", logFile, "LOG_FORMAT", logFormat, "MAX_BODY_BYTES", maxBodyBytes));
        Config config = Main.config(flags);
        Logging.configure(config.logFormat(), config.logFile());
        OutOfMemory.install();
        App app = App.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Storyboard Server...");
            app.close();
            stopped.countDown();
        }, "shutdown"));
        printBanner(app);
        OutOfMemory.warnUnlessTheJvmExitsOnIt();
        stopped.await();
        return 0;
    }

    private static void printBanner(App app) {
        Config c = app.config();
        StringBuilder b = new StringBuilder();
        b.append("\nStoryboard Server ").append(App.VERSION).append(" is running.\n");
        b.append("  Database: ").append(app.embeddedDatabase()
                .map(e -> "embedded PostgreSQL in " + e.directory() + " (localhost:" + e.port() + ")")
                .orElseGet(() -> c.databaseUrl().orElseThrow().display())).append('\n');
        b.append("  Listening on:\n");
        for (String url : urls(c.host(), app.port())) b.append("    ").append(url).append('\n');
        if (app.initialAdminToken().isPresent()) {
            b.append("  Admin token (shown only this once; only its hash is stored):\n");
            b.append("    ").append(app.initialAdminToken().get()).append('\n');
            b.append("  Try: curl -H \"Authorization: Bearer <token>\" http://localhost:").append(app.port())
                    .append("/api/v1/prompt-history\n");
        } else if (c.authToken().isPresent()) {
            b.append("  Token: the AUTH_TOKEN you configured.\n");
        } else {
            b.append("  Token: use one created earlier (storyboard-server token list / token create).\n");
        }
        System.out.println(b);
        System.out.flush();
    }

    /** Every address a client could paste: all interface addresses when listening on 0.0.0.0 or ::. */
    static List<String> urls(String host, int port) {
        List<String> out = new ArrayList<>();
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            out.add("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
            return out;
        }
        out.add("http://localhost:" + port);
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) continue;
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLinkLocalAddress()) continue;
                    if (host.equals("0.0.0.0") && !(a instanceof Inet4Address)) continue;
                    String h = a.getHostAddress().replaceAll("%.*$", "");
                    out.add("http://" + (a instanceof Inet4Address ? h : "[" + h + "]") + ":" + port);
                }
            }
        } catch (SocketException e) {
            // the localhost URL is still right
        }
        return out;
    }
}
