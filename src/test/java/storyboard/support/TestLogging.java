package storyboard.support;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import org.slf4j.LoggerFactory;

/** Tests that run a command (which configures logging as the CLI does) give the test JVM its default logging back. */
public final class TestLogging {
    private TestLogging() {}

    public static void restoreDefault() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (Exception e) {
            throw new IllegalStateException("could not restore the default logging", e);
        }
    }
}
