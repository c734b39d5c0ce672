package storyboard.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OutOfMemoryError} leaves the process in a state nobody can vouch for: any thread may have died half way
 * through its work (a writer thread, a lock holder, a queue's consumer) and the server would answer some requests and
 * hang on others. So the server exits instead, with one clear last log line, and its supervisor (systemd, Docker, the
 * launcher's loop) starts it again.
 *
 * <p>The launcher runs the JVM with {@code -XX:+ExitOnOutOfMemoryError}, which also covers errors a library catches
 * and never rethrows. This class covers the ones the server's code sees when that flag is missing (a plain
 * {@code java -jar}): errors escaping any thread ({@link #install}), a request ({@code App}), a body read or a blob
 * writer. The exit status is 3, as the JVM's.
 */
public final class OutOfMemory {
    public static final String MESSAGE = "out of memory: exiting so the supervisor restarts the server";
    static final int EXIT_STATUS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(OutOfMemory.class);
    /** Given up first when exiting, so that the last log line can be written. */
    @SuppressWarnings("unused")
    private static volatile byte[] reserve = new byte[1 << 20];
    private static volatile boolean installed;
    private static final AtomicBoolean exiting = new AtomicBoolean();

    private OutOfMemory() {}

    /**
     * From now on an OutOfMemoryError exits the process: every thread's uncaught errors come here (an error that
     * is not out-of-memory is logged, as the JVM would print it).
     */
    public static void install() {
        installed = true;
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (find(e) != null) {
                exit(e, thread.getName());
            } else {
                LOG.error("thread {} stopped on an unexpected error", thread.getName(), e);
            }
        });
    }

    /** Warns when the JVM itself will not exit on an OutOfMemoryError (once the server runs: a failed start says only why). */
    public static void warnUnlessTheJvmExitsOnIt() {
        if (!jvmExitsOnOutOfMemory()) {
            LOG.warn("the JVM runs without -XX:+ExitOnOutOfMemoryError (bin/storyboard-server sets it): the server exits "
                    + "on the out-of-memory errors its own code sees, but one a library swallows could leave it half alive");
        }
    }

    /** If {@code t} is or was caused by an OutOfMemoryError: exits (once {@link #install installed}; else returns). */
    public static void exitIf(Throwable t) {
        OutOfMemoryError oom = find(t);
        if (oom != null && installed) exit(oom, Thread.currentThread().getName());
    }

    static OutOfMemoryError find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError oom) return oom;
        }
        return null;
    }

    private static boolean jvmExitsOnOutOfMemory() {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return "true".equals(hotspot.getVMOption("ExitOnOutOfMemoryError").getValue())
                    || "true".equals(hotspot.getVMOption("CrashOnOutOfMemoryError").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Logs {@link #MESSAGE} (and flushes the log) within a few seconds, then halts: no shutdown hooks, which could
     * wait forever on threads the error stopped. The embedded PostgreSQL stops with the process (its watchdog, see
     * {@link EmbeddedDatabase}), or else at the next start.
     */
    static void exit(Throwable error, String thread) {
        reserve = null;
        if (!exiting.compareAndSet(false, true)) {
            // Another thread is exiting: wait for it.
            sleepForever();
        }
        String line = MESSAGE + " (" + error + " in thread " + thread + ")";
        boolean logged = false;
        try {
            // On another thread, with a deadline: the log writer may be one of the threads the error stopped.
            Thread t = new Thread(() -> {
                LOG.error(line);
                org.slf4j.ILoggerFactory factory = LoggerFactory.getILoggerFactory();
                if (factory instanceof ch.qos.logback.classic.LoggerContext context) context.stop(); // writes what is buffered
            }, "out-of-memory-exit");
            t.setDaemon(true);
            t.start();
            t.join(TimeUnit.SECONDS.toMillis(3));
            logged = !t.isAlive();
        } catch (Throwable ignored) {
            // nothing more can be done than the line below
        }
        try {
            if (!logged) {
                System.err.println(line);
                System.err.flush();
            }
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // still exiting
            }
        }
    }
}
