package storyboard.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Holds a request's completion back until the handlers below have returned, as Jetty does for the handlers it calls
 * itself. The routes run later than Jetty's own call when their body was read ahead after a wait ({@link BodyGuard})
 * or when they waited for their turn ({@link StreamedBodies}); then the servlet layer could still be using a request
 * whose response just completed (and that Jetty already recycled): seen as a lost 507 answer and a
 * NullPointerException in ServletChannel.handleException when a client reset the connection of a refused upload.
 */
final class CompletionAfterHandling extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Held held = new Held(callback);
        try {
            return super.handle(request, response, held);
        } finally {
            held.handled();
        }
    }

    private static final class Held implements Callback {
        private final Callback callback;
        private boolean handling = true;
        private boolean completed;
        private Throwable failure;

        Held(Callback callback) {
            this.callback = callback;
        }

        @Override
        public void succeeded() {
            synchronized (this) {
                if (handling) {
                    completed = true;
                    return;
                }
            }
            callback.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            synchronized (this) {
                if (handling) {
                    completed = true;
                    failure = x;
                    return;
                }
            }
            callback.failed(x);
        }

        void handled() {
            boolean done;
            Throwable x;
            synchronized (this) {
                handling = false;
                done = completed;
                x = failure;
            }
            if (!done) return;
            if (x == null) {
                callback.succeeded();
            } else {
                callback.failed(x);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }
    }
}
