package storyboard.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Limits password (and token) guessing: a few failures per (username, address) and more per address, each refilling
 * steadily over a window. An attempt takes its token before the password is checked, so parallel guesses
 * cannot slip through; a success gives it back (and clears the username's count).
 *
 * <p>In memory, per server process: a restart or another replica starts afresh, which still bounds guessing to a
 * handful per window per process.
 */
public final class LoginThrottle {
    private static final int PRUNE_ABOVE = 10_000;

    private final int perUserAndAddress;
    private final int perAddress;
    private final Duration window;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastPrune = new AtomicLong(System.nanoTime());

    /** 5 failures per username and address, 30 per address, each refilling over 15 minutes. */
    public static LoginThrottle standard() {
        return new LoginThrottle(5, 30, Duration.ofMinutes(15));
    }

    public LoginThrottle(int perUserAndAddress, int perAddress, Duration window) {
        this.perUserAndAddress = perUserAndAddress;
        this.perAddress = perAddress;
        this.window = window;
    }

    /** An attempt that may go ahead, or was refused for {@code retryAfterSeconds}. */
    public record Attempt(String userKey, String addressKey, long retryAfterSeconds) {
        public boolean allowed() {
            return retryAfterSeconds == 0;
        }
    }

    /** Takes a token from both buckets; refused (nothing taken) when either is empty. */
    public Attempt begin(String username, String address) {
        return take("u:" + username.strip().toLowerCase(Locale.ROOT) + "|" + address, address);
    }

    /**
     * A sign-in with a pasted token: limited like a username's, per address under a key of its own (tokens have
     * no username), and sharing the address's bucket with passwords.
     */
    public Attempt beginToken(String address) {
        return take("t:" + address, address);
    }

    private Attempt take(String userKey, String address) {
        pruneNowAndThen();
        String addressKey = "a:" + address;
        Bucket user = buckets.computeIfAbsent(userKey, k -> bucket(perUserAndAddress));
        Bucket addr = buckets.computeIfAbsent(addressKey, k -> bucket(perAddress));
        ConsumptionProbe u = user.tryConsumeAndReturnRemaining(1);
        if (!u.isConsumed()) return new Attempt(userKey, addressKey, seconds(u.getNanosToWaitForRefill()));
        ConsumptionProbe a = addr.tryConsumeAndReturnRemaining(1);
        if (!a.isConsumed()) {
            user.addTokens(1);
            return new Attempt(userKey, addressKey, seconds(a.getNanosToWaitForRefill()));
        }
        return new Attempt(userKey, addressKey, 0);
    }

    /** A correct password: the attempt does not count, and earlier failures for this username are forgiven. */
    public void succeeded(Attempt attempt) {
        buckets.remove(attempt.userKey());
        Bucket addr = buckets.get(attempt.addressKey());
        if (addr != null) addr.addTokens(1);
    }

    /**
     * A valid token: the attempt does not count. Earlier failures are not forgiven (unlike a password's): one
     * valid token must not reset the count of guesses at another.
     */
    public void refund(Attempt attempt) {
        Bucket user = buckets.get(attempt.userKey());
        if (user != null) user.addTokens(1);
        Bucket addr = buckets.get(attempt.addressKey());
        if (addr != null) addr.addTokens(1);
    }

    private Bucket bucket(int capacity) {
        return Bucket.builder().addLimit(l -> l.capacity(capacity).refillGreedy(capacity, window)).build();
    }

    private static long seconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
    }

    /** Forgets buckets that have refilled, so the map stays small whatever the number of names tried. */
    private void pruneNowAndThen() {
        long last = lastPrune.get();
        if (buckets.size() < PRUNE_ABOVE || System.nanoTime() - last < TimeUnit.SECONDS.toNanos(10)
                || !lastPrune.compareAndSet(last, System.nanoTime())) {
            return;
        }
        buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens()
                >= (e.getKey().startsWith("a:") ? perAddress : perUserAndAddress));
    }
}
