package storyboard.cli;

import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;
import storyboard.kernel.Scope;
import storyboard.server.Config;

/**
 * The options of the commands that talk to a running server over HTTP (import-logs, assets scan, prompts): its URL
 * and the token to use, each defaulting to this machine's configuration (PORT, AUTH_TOKEN; flags > environment > .env).
 */
public final class ClientOptions {
    @Option(names = "--server", description = "Server URL (default http://localhost:<PORT>)")
    String server;

    @Option(names = "--token", description = "Token to use (default: AUTH_TOKEN)")
    String token;

    private ServerClient client;

    private String url() {
        return server != null ? server : "http://localhost:" + config().port();
    }

    private String token() {
        return token != null ? token : config().authToken().orElseThrow(() ->
                new UserException("no token: pass --token or set AUTH_TOKEN"));
    }

    /**
     * The server to use when --server is not given (a synced project folder names the server it came from), instead
     * of this machine's own; null changes nothing. Call it before {@link #client()}.
     */
    public void defaultServer(String url) {
        if (server == null && client == null) server = url;
    }

    /** The client of the server these options name; one per command, so the check and the transfer share it. */
    public ServerClient client() {
        if (client == null) client = new ServerClient(url(), token());
        return client;
    }

    /**
     * The pre-flight every such command runs before it sends anything: the token must hold {@code needed} (and may
     * use {@code project}, when not null), else the command stops with one line naming what is missing.
     */
    public CredentialCheck.Credential require(String command, Set<Scope> needed, String project) {
        return CredentialCheck.require(client(), command, needed, project);
    }

    private static Config config() {
        return Main.config(Map.of());
    }
}
