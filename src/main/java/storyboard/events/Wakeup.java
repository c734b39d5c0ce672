package storyboard.events;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A background loop's doorbell: {@link #ring()} from any thread; {@link #await} returns at once if it rang since
 * the last call, else when it rings or the timeout passes. A ring is never lost between two waits.
 */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private boolean pending;

    void ring() {
        lock.lock();
        try {
            pending = true;
            rung.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis}; false when interrupted. */
    boolean await(long millis) {
        lock.lock();
        try {
            if (!pending) rung.await(millis, TimeUnit.MILLISECONDS);
            pending = false;
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
