package storyboard.server;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The address a request came from, as audit entries, sign-in throttling and logs see it. Behind a load balancer
 * or reverse proxy every connection comes from the proxy, so when the peer is one of {@code TRUSTED_PROXIES} the
 * client is read from {@code X-Forwarded-For}: the right-most address that is not itself a trusted proxy (the
 * left-most entries are whatever the client chose to send, so they are never believed). From any other peer the
 * header is ignored: a client cannot pick its own address.
 */
final class ClientAddress {
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("[0-9.]{7,15}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private final InetAddressSet trusted = new InetAddressSet();
    private final boolean any;

    ClientAddress(List<String> trustedProxies) {
        trustedProxies.forEach(trusted::add);
        any = !trustedProxies.isEmpty();
    }

    String of(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (!any || !isTrusted(peer)) return peer;
        // Several headers count as one comma-separated list, in order.
        List<String> chain = java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")).stream()
                .flatMap(h -> java.util.Arrays.stream(h.split(","))).map(String::trim).filter(h -> !h.isEmpty()).toList();
        String client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            if (!isLiteralAddress(hop)) break;   // garbage from beyond the last trusted proxy: stop believing
            client = hop;
            if (!isTrusted(hop)) break;
        }
        return client;
    }

    private boolean isTrusted(String address) {
        try {
            return isLiteralAddress(address) && trusted.test(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 literal, never a name (InetAddress.getByName would look a name up in DNS). */
    private static boolean isLiteralAddress(String s) {
        return IPV4.matcher(s).matches() || (s.contains(":") && IPV6.matcher(s).matches());
    }
}
