package storyboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/** Console logging (human-readable or JSON lines), optionally also to LOG_FILE. Set up once at start. */
public final class Logging {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%X{requestId:-main}] %logger{0} - %msg%n";

    private Logging() {}

    /** The server's logging: the console is standard output. */
    public static void configure(Config.LogFormat format, Optional<Path> file) {
        configure(format, file, () -> System.out);
    }

    /**
     * A command's logging: its log lines go to standard error, so that what it prints for scripts on standard
     * output (a new token, a list) is all there is there ({@code TOKEN=$(storyboard-server token create ...)}).
     */
    public static void configureForCommand(Config.LogFormat format, Optional<Path> file) {
        configure(format, file, () -> System.err);
    }

    private static void configure(Config.LogFormat format, Optional<Path> file,
                                  java.util.function.Supplier<java.io.PrintStream> console) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);

        root.addAppender(batching(context, encoder(context, format), console::get, "console", null));
        file.ifPresent(path -> {
            try {
                if (path.toAbsolutePath().getParent() != null) Files.createDirectories(path.toAbsolutePath().getParent());
                OutputStream out = new FileOutputStream(path.toFile(), true);
                root.addAppender(batching(context, encoder(context, format), () -> out, "file", out));
            } catch (IOException e) {
                // As logback's file appender did: say so, and go on logging to the console.
                System.err.println("cannot write the log file " + path + " (LOG_FILE): " + e.getMessage());
            }
        });
        // Libraries' chatter that is not useful at INFO.
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("io.zonky").setLevel(Level.WARN);
        context.getLogger("com.password4j").setLevel(Level.WARN);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, Config.LogFormat format) {
        if (format == Config.LogFormat.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.start();
            return json;
        }
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(context);
        enc.setPattern(PATTERN);
        enc.start();
        return enc;
    }

    /**
     * Request threads never wait on the console or the file, and no line is dropped (logging waits when a
     * megabyte is waiting to be written); lines are written in batches (see {@link BatchingAppender}).
     */
    private static BatchingAppender batching(LoggerContext context, Encoder<ILoggingEvent> encoder,
                                             Supplier<OutputStream> target, String name, Closeable owned) {
        BatchingAppender appender = new BatchingAppender(encoder, target, owned);
        appender.setContext(context);
        appender.setName(name);
        appender.start();
        return appender;
    }
}
