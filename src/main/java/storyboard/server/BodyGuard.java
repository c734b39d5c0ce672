package storyboard.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import storyboard.api.ApiError;
import storyboard.api.BodyTimeoutException;
import storyboard.kernel.Json;

/**
 * Guards the server against request bodies that arrive slowly or not at all, in front of every route.
 *
 * <p><b>Timeouts.</b> While the server waits for a body's bytes, the client may pause for at most the body timeout,
 * and may fall behind the pace of the minimum rate by at most the body timeout: a body may start slowly or pause,
 * and sending faster makes up for that, but being fast is not saved up for later (so a byte-a-second trickle is cut
 * after about one timeout, however quickly the body began). Only time spent waiting for the client counts, not the
 * server's own work (writing to disk, the database). A body that breaks either rule fails to read with
 * {@link BodyTimeoutException}: the route answers 408 and the connection closes, and the thread and memory it held
 * are free.
 *
 * <p><b>Reading ahead.</b> A request's first bytes of body (up to {@link #PREFETCH}, so all of a typical JSON body)
 * are read before any route runs, without a thread, into memory taken as they arrive from a shared budget
 * ({@link #PREFETCH_BUDGET}). A slow client therefore holds neither a request thread nor more memory than it sent
 * until its body is there; one whose body stalls is answered 408 here. Beyond the budget, and for a client that asked
 * "Expect: 100-continue" (it waits to be told to send), the route reads the body itself, under the same timeouts,
 * and such requests are limited in number ({@link StreamedBodies}).
 */
final class BodyGuard extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(BodyGuard.class);
    private static final Logger REQUESTS = LoggerFactory.getLogger("storyboard.requests");
    /** Bytes of a body read before the route runs. */
    static final int PREFETCH = 64 * 1024;
    /** Memory for read-ahead bodies, all requests together. */
    static final long PREFETCH_BUDGET = 16L << 20;
    /** Set on a request whose route will read (more of) its body from the connection: see {@link StreamedBodies}. */
    static final String STREAMING = "storyboard.streamingBody";

    private final long timeoutNanos;
    private final long minRate;
    private final String rules;
    private final AtomicLong prefetched = new AtomicLong();
    private final Set<Guarded> waiting = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService sweeper;

    BodyGuard(Duration timeout, long minRate) {
        this.timeoutNanos = timeout.toNanos();
        this.minRate = minRate;
        this.rules = "BODY_TIMEOUT " + describe(timeout) + (minRate > 0 ? ", BODY_MIN_RATE " + minRate + " bytes/s" : "");
    }

    @Override
    protected void doStart() throws Exception {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "body-timeouts");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 20));
        sweeper.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        sweeper.shutdownNow();
    }

    /** Bytes of read-ahead bodies held now (tests). */
    long prefetched() {
        return prefetched.get();
    }

    /** Bodies being read now (tests). */
    int reading() {
        return waiting.size();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) return false;
        long length = request.getLength();
        boolean chunked = length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (length <= 0 && !chunked) return next.handle(request, response, callback);
        Guarded body = new Guarded(request);
        Callback done = Callback.from(callback, body::completed);
        if (request.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
            body.setAttribute(STREAMING, Boolean.TRUE);
            boolean handled = next.handle(body, response, done);
            if (!handled) body.completed();
            return handled;
        }
        new Prefetch(next, body, response, done, length).run();
        return true;
    }

    /** Cuts the bodies that break the rules (on the sweeper's thread). */
    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Guarded g : waiting) {
                long since = g.waitingSince;
                if (since != 0 && now - since >= timeoutNanos) {
                    g.fail(new BodyTimeoutException("no byte of the body for " + describe(Duration.ofNanos(now - since))
                            + ", after " + g.bytes + " bytes; " + rules));
                } else if (minRate > 0) {
                    // How far behind the pace of minRate the body is: waiting adds to it, bytes take from it (each
                    // is worth 1/minRate s), never below nothing.
                    long waited = g.waited + (since != 0 ? now - since : 0);
                    long bytes = g.bytes;
                    double lag = g.lagNanos + (waited - g.lagWaited) - (bytes - g.lagBytes) * 1_000_000_000.0 / minRate;
                    g.lagNanos = Math.max(0, lag);
                    g.lagWaited = waited;
                    g.lagBytes = bytes;
                    if (lag > timeoutNanos) {
                        g.fail(new BodyTimeoutException("the body fell " + describe(Duration.ofNanos((long) lag))
                                + " behind the minimum rate (" + bytes + " bytes in " + describe(Duration.ofNanos(waited))
                                + " of waiting); " + rules));
                    }
                }
            }
        } catch (Throwable e) {
            OutOfMemory.exitIf(e);
            LOG.error("the body timeouts' check failed", e);
        }
    }

    private static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms < 10_000 ? ms + "ms" : ms / 1000 + "s";
    }

    /**
     * A request whose body reads are timed. Its route reads first what was read ahead ({@link #prefix}, then
     * {@link #held}), then the connection's bytes through {@link #readBody}.
     */
    private final class Guarded extends Request.Wrapper {
        /** nanoTime when the server began waiting for bytes, or 0 when it is not waiting. */
        volatile long waitingSince;
        /** Nanoseconds spent waiting for bytes, not counting the current wait. */
        volatile long waited;
        /** Bytes of the body read so far (written by the one thread reading at a time). */
        volatile long bytes;
        /** How far behind the minimum rate, and the waiting and bytes it was computed from (the sweeper's). */
        double lagNanos;
        long lagWaited;
        long lagBytes;
        private final AtomicReference<Runnable> pending = new AtomicReference<>();
        private volatile Throwable failure;
        private volatile boolean ended;
        private boolean begun;
        /** The bytes read ahead (released: their budget comes back), then a chunk read but not copied. */
        volatile Content.Chunk prefix;
        volatile Content.Chunk held;

        Guarded(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk c = prefix;
            if (c != null) {
                prefix = null;
                return c;
            }
            c = held;
            if (c != null) {
                held = null;
                return c;
            }
            return readBody();
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (prefix != null || held != null) {
                demandCallback.run();
            } else {
                demandBody(demandCallback);
            }
        }

        Content.Chunk readBody() {
            Throwable f = failure;
            if (f != null) return Content.Chunk.from(f, true);
            begin();
            Content.Chunk c = getWrapped().read();
            if (c == null) return null;
            if (c.hasRemaining()) bytes += c.remaining();
            if (c.isLast()) end();
            return c;
        }

        void demandBody(Runnable demandCallback) {
            if (failure != null) {
                demandCallback.run();
                return;
            }
            begin();
            pending.set(demandCallback);
            waitingSince = Math.max(1, System.nanoTime());
            getWrapped().demand(this::available);
        }

        private void available() {
            stopWaiting();
            Runnable r = pending.getAndSet(null);
            if (r != null) r.run();
        }

        private void stopWaiting() {
            long since = waitingSince;
            if (since != 0) {
                waitingSince = 0;
                waited += System.nanoTime() - since;
            }
        }

        /** Fails the body's reads from now on, and wakes the reader that waits for bytes. */
        void fail(BodyTimeoutException e) {
            if (ended) return;
            LOG.debug("{} {}: {}", getMethod(), getHttpURI().getPath(), e.getMessage());
            failure = e;
            end();
            stopWaiting();
            Runnable r = pending.getAndSet(null);
            if (r != null) r.run();
        }

        private void begin() {
            if (begun) return;
            begun = true;
            if (!ended) waiting.add(this);
        }

        private void end() {
            ended = true;
            waiting.remove(this);
        }

        /** The request is over (answered or failed): nothing of it is timed or held any more. */
        void completed() {
            end();
            Content.Chunk p = prefix;
            prefix = null;
            if (p != null) p.release();
            Content.Chunk h = held;
            held = null;
            if (h != null) h.release();
        }
    }

    /** Reads a body's first bytes before its route runs; then runs the route, or answers 408. */
    private final class Prefetch implements Runnable {
        private final Handler next;
        private final Guarded body;
        private final Response response;
        private final Callback done;
        private final long length;
        private final int target;
        private final AtomicLong reserved = new AtomicLong();
        private final long startNanos = System.nanoTime();
        private byte[] buf = new byte[0];
        private int size;
        /** Whether this ran as a demand callback (then the route must run on another thread, see dispatch). */
        private boolean demanded;

        /** {@code length}: the declared length, or -1 (chunked). */
        Prefetch(Handler next, Guarded body, Response response, Callback done, long length) {
            this.next = next;
            this.body = body;
            this.response = response;
            this.done = done;
            this.length = length;
            this.target = length < 0 ? PREFETCH : (int) Math.min(length, PREFETCH);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Content.Chunk c = body.readBody();
                    if (c == null) {
                        demanded = true;
                        body.demandBody(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(c)) {
                        failed(c.getFailure());
                        return;
                    }
                    int n = c.remaining();
                    if (size + n > target || (size == 0 && c.isLast()) || (n > 0 && !reserve(n))) {
                        // All of it at once (the usual case), more than to read ahead, or no memory to copy it
                        // into: the route gets it as it is.
                        body.held = c;
                        dispatch(false);
                        return;
                    }
                    if (n > 0) {
                        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.min(target, Math.max(size + n, Math.max(4096, 2 * buf.length))));
                        c.get(buf, size, n);
                        size += n;
                    }
                    boolean last = c.isLast();
                    c.release();
                    if (last || size >= target) {
                        dispatch(last);
                        return;
                    }
                }
            } catch (Throwable x) {
                OutOfMemory.exitIf(x);
                release();
                Response.writeError(body, response, done, x);
            }
        }

        private boolean reserve(int n) {
            if (prefetched.addAndGet(n) > PREFETCH_BUDGET) {
                prefetched.addAndGet(-n);
                return false;
            }
            reserved.addAndGet(n);
            return true;
        }

        private void release() {
            prefetched.addAndGet(-reserved.getAndSet(0));
        }

        /**
         * The route runs, reading first what was read ahead: at once on the thread that received the request, or, once
         * this ran as a demand callback, on a thread of its own. In the callback it could not wait for more of its
         * body: Jetty runs a request's demand callbacks one after the other, so the next would wait for this one.
         */
        private void dispatch(boolean last) {
            if (demanded) {
                getServer().getThreadPool().execute(() -> route(last));
            } else {
                route(last);
            }
        }

        private void route(boolean last) {
            if (size > 0) {
                // Read first; then the chunk held, if any.
                body.prefix = Content.Chunk.from(ByteBuffer.wrap(buf, 0, size), last, this::release);
            } else if (last) {
                body.prefix = Content.Chunk.EOF;
            }
            buf = null;
            long here = size + (body.held == null ? 0 : body.held.remaining());
            if (!last && (length < 0 || here < length)) body.setAttribute(STREAMING, Boolean.TRUE);
            try {
                if (!next.handle(body, response, done)) Response.writeError(body, response, done, 404);
            } catch (Throwable x) {
                OutOfMemory.exitIf(x);
                Response.writeError(body, response, done, x);
            }
        }

        private void failed(Throwable failure) {
            release();
            body.completed();
            if (!BodyTimeoutException.isTimeout(failure)) {
                // The client went away, or sent a malformed body: Jetty answers (or closes) as it does elsewhere.
                done.failed(failure);
                return;
            }
            answer(body, response, done, 408, "body_timeout", "the request body stopped arriving or arrived too slowly ("
                    + failure.getMessage() + "); nothing was kept", 0, startNanos);
        }
    }

    /**
     * Answers a request no route saw, as the routes answer errors (JSON, with a request id), closing the connection
     * (the body was not read to its end); logs it as the routes' requests are logged.
     */
    static void answer(Request request, Response response, Callback callback, int status, String code, String message,
                       long retryAfterSeconds, long startNanos) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(new ApiError(code, message, null));
        } catch (Exception e) {
            callback.failed(e);
            return;
        }
        String requestId = UUID.randomUUID().toString();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        if (retryAfterSeconds > 0) response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
        response.getHeaders().put("X-Request-Id", requestId);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(json), callback);
        MDC.put("requestId", requestId);
        try {
            REQUESTS.info("{} {} {} {}ms", request.getMethod(), request.getHttpURI().getPath(), status,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        } finally {
            MDC.remove("requestId");
        }
    }
}
