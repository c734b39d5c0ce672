package storyboard.server;

import java.time.Duration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ThreadPool;
import storyboard.assets.UploadMemory;

/**
 * A limit on the requests whose routes read their bodies from the connection (bodies larger than what
 * {@link BodyGuard} reads ahead, and "Expect: 100-continue" ones): each holds a request thread while its client sends,
 * and slow clients must not take every thread. With platform threads (Java 17) at most half the pool's threads do
 * this at once; with virtual threads there are as many threads as needed, and the limit only bounds the number of
 * bodies read at once. A request beyond the limit waits, without a thread, up to {@link #MAX_WAIT} for its turn;
 * then (or when too many wait) it is answered 503 with Retry-After, JSON. Other requests are not counted.
 */
final class StreamedBodies extends QoSHandler {
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    StreamedBodies(ThreadPool threads) {
        setMaxRequestCount(threads instanceof ThreadPool.SizedThreadPool sized ? Math.max(8, sized.getMaxThreads() / 2) : 1024);
        setMaxSuspendedRequestCount(1024);
        setMaxSuspend(MAX_WAIT);
        include(request -> request.getAttribute(BodyGuard.STREAMING) != null);
    }

    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        busy(request, response, callback);
    }

    @Override
    protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
        busy(request, response, callback);
    }

    private static void busy(Request request, Response response, Callback callback) {
        BodyGuard.answer(request, response, callback, 503, "server_busy", "the server is reading as many request bodies "
                + "as it can at once; nothing was kept, retry in a few seconds", UploadMemory.RETRY_AFTER_SECONDS,
                request.getBeginNanoTime());
    }
}
