package storyboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** Console logging (human-readable or JSON lines), optionally also to LOG_FILE. Set up once at start. */
public final class Logging {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%X{requestId:-main}] %logger{0} - %msg%n";

    private Logging() {}

    public static void configure(Config.LogFormat format, Optional<Path> file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        root.addAppender(async(context, start(context, console, encoder(context, format)), "console"));
        file.ifPresent(path -> {
            FileAppender<ILoggingEvent> fa = new FileAppender<>();
            fa.setFile(path.toString());
            fa.setAppend(true);
            root.addAppender(async(context, start(context, fa, encoder(context, format)), "file"));
        });
        // Libraries' chatter that is not useful at INFO.
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("io.zonky").setLevel(Level.WARN);
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

    private static <A extends OutputStreamAppender<ILoggingEvent>> A start(LoggerContext context, A appender,
                                                                            Encoder<ILoggingEvent> encoder) {
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** Request threads never wait on the console; lines are not dropped (the queue blocks when full). */
    private static ch.qos.logback.classic.AsyncAppender async(LoggerContext context,
                                                             ch.qos.logback.core.Appender<ILoggingEvent> target,
                                                             String name) {
        ch.qos.logback.classic.AsyncAppender async = new ch.qos.logback.classic.AsyncAppender();
        async.setContext(context);
        async.setName(name);
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setIncludeCallerData(false);
        async.addAppender(target);
        async.start();
        return async;
    }
}
