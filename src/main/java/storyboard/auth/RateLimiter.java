package storyboard.auth;

import storyboard.kernel.Scope;
import storyboard.kernel.Principal;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import storyboard.api.TooManyRequestsException;

/**
 * Per-credential request limits: a token bucket per credential and kind of route (ingest, everything else),
 * refilled at the limit per second and holding two seconds' worth for bursts. A token's own {@code rate_limit}
 * overrides the server's default; 0 means unlimited. Buckets live in this process: with several replicas
 * behind a load balancer each one limits on its own.
 */
public final class RateLimiter {
    private final int defaultPerSecond;
    private final int ingestPerSecond;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int defaultPerSecond, int ingestPerSecond) {
        this.defaultPerSecond = defaultPerSecond;
        this.ingestPerSecond = ingestPerSecond;
    }

    /** Takes one request from the principal's bucket, or answers 429 with Retry-After by throwing. */
    public void acquire(Context ctx, Principal principal, Scope scope) {
        boolean ingest = scope == Scope.INGEST;
        int limit = principal.rateLimit() != null ? principal.rateLimit() : ingest ? ingestPerSecond : defaultPerSecond;
        if (limit <= 0) return;
        String key = principal.key() + (ingest ? "|ingest|" : "|other|") + limit;
        Bucket bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(2L * limit).refillGreedy(limit, Duration.ofSeconds(1)))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        ctx.header("RateLimit-Limit", String.valueOf(limit));
        ctx.header("RateLimit-Remaining", String.valueOf(probe.getRemainingTokens()));
        if (!probe.isConsumed()) {
            long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
            throw new TooManyRequestsException("this credential is over its limit of " + limit
                    + " requests per second" + (ingest ? " for ingest" : "") + "; retry after " + Math.max(1, seconds)
                    + " s", seconds);
        }
    }
}
