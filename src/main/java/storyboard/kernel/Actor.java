package storyboard.kernel;

import io.javalin.http.Context;
import org.slf4j.MDC;

/** Who did something and from where, as the audit trail records it. */
public record Actor(String type, String id, String name, String address, String requestId) {

    /** The principal of an authenticated request, with the client's address and the request id. */
    public static Actor of(Context ctx) {
        Principal p = ctx.attribute(Principal.ATTRIBUTE);
        String address = ctx.ip();
        String requestId = MDC.get("requestId");
        if (p == null) return new Actor("anonymous", null, null, address, requestId);
        String type = switch (p.kind()) {
            case AUTH_TOKEN -> "auth_token";
            case TOKEN -> "token";
            case USER -> "user";
            case JWT -> "jwt";
        };
        return new Actor(type, p.id(), p.name(), address, requestId);
    }

    /** A command run on the server's machine by this operating-system user. */
    public static Actor cli() {
        String user = System.getProperty("user.name");
        return new Actor("cli", user, "command line (" + user + ")", null, null);
    }

    /** The server itself, e.g. the admin token made at the first start. */
    public static Actor server() {
        return new Actor("server", null, "server", null, null);
    }

    /** A request that is not signed in yet, e.g. a sign-in attempt. */
    public static Actor anonymous(Context ctx) {
        return new Actor("anonymous", null, null, ctx.ip(), MDC.get("requestId"));
    }

    /** How a record's {@code created_by} names this actor. */
    public String describe() {
        return switch (type) {
            case "token" -> "token " + name + " (" + id + ")";
            case "user" -> "user " + name;
            case "jwt" -> "identity " + name + " (" + id + ")";
            case "auth_token" -> "AUTH_TOKEN";
            default -> name == null ? type : name;
        };
    }
}
