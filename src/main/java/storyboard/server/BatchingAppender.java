package storyboard.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Log lines written in batches by a background thread: the logging thread formats its line and copies it into
 * a buffer; the writer thread, woken once per batch rather than once per line, writes whatever has gathered in
 * one call a few milliseconds later. Under load (two lines per ingested log) this saves a thread wake-up and a
 * write system call per line compared with an AsyncAppender in front of a console appender.
 *
 * <p>Nothing is dropped: when the buffer is full, logging threads wait for the writer. Stopping the appender
 * (logging reset, shutdown) writes everything buffered before it returns.
 */
final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** How long the writer lets lines gather after the first one of a batch. */
    static final long LINGER_MILLIS = 5;
    /** Logging threads wait when this much is waiting to be written. */
    static final int MAX_BUFFERED_BYTES = 1 << 20;

    private final Encoder<ILoggingEvent> encoder;
    /** Where lines go; asked for each line, so that a line goes where System.out was when it was logged. */
    private final Supplier<OutputStream> target;
    /** Closed once the last lines are written (the log file); null for the console. */
    private final Closeable owned;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(64 * 1024);
    private ByteArrayOutputStream writing = new ByteArrayOutputStream(64 * 1024);
    /** Where the pending lines go (guarded by the lock). */
    private OutputStream pendingTarget;
    private volatile boolean open;
    private Thread writer;

    BatchingAppender(Encoder<ILoggingEvent> encoder, Supplier<OutputStream> target, Closeable owned) {
        this.encoder = encoder;
        this.target = target;
        this.owned = owned;
    }

    @Override
    public void start() {
        open = true;
        writer = new Thread(this::writeLoop, "log-writer-" + getName());
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] line = encoder.encode(event); // formatted on the logging thread, with its MDC and name
        OutputStream to = target.get();
        while (true) {
            lock.lock();
            try {
                while (open && pending.size() >= MAX_BUFFERED_BYTES) notFull.awaitUninterruptibly();
                if (pending.size() == 0 || to == pendingTarget) {
                    boolean first = pending.size() == 0;
                    pendingTarget = to;
                    pending.write(line, 0, line.length);
                    if (first) notEmpty.signal();
                    break;
                }
            } finally {
                lock.unlock();
            }
            // The target changed (System.out swapped): the earlier lines go to the earlier target first.
            writeBatch();
        }
        if (!open) writeBatch(); // stopped meanwhile: write it ourselves rather than lose it
    }

    private void writeLoop() {
        while (open) {
            lock.lock();
            try {
                while (open && pending.size() == 0) notEmpty.awaitUninterruptibly();
            } finally {
                lock.unlock();
            }
            if (!open) break;
            try {
                TimeUnit.MILLISECONDS.sleep(LINGER_MILLIS);
            } catch (InterruptedException e) {
                // stopping: write what there is now
            }
            writeBatch();
        }
        writeBatch();
    }

    /** Takes what has gathered and writes it in one call (one writer at a time). */
    private synchronized void writeBatch() {
        OutputStream out;
        lock.lock();
        try {
            ByteArrayOutputStream full = pending;
            pending = writing;
            writing = full;
            out = pendingTarget;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        if (writing.size() == 0) return;
        try {
            writing.writeTo(out);
            out.flush();
        } catch (IOException e) {
            addError("could not write log lines", e);
        } finally {
            writing.reset();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) return;
        super.stop();
        open = false;
        lock.lock();
        try {
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeBatch();
        if (owned != null) {
            try {
                owned.close();
            } catch (IOException e) {
                addError("could not close the log", e);
            }
        }
    }
}
