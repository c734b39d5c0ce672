package storyboard.auth;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import storyboard.api.ApiException;
import storyboard.api.Durations;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Actor;
import storyboard.kernel.Api;
import storyboard.kernel.DomainException;
import storyboard.kernel.Page;
import storyboard.kernel.Scope;
import storyboard.web.Pages;

/**
 * {@code /admin/tokens}: the tokens newest first (by state, infinite scroll), a form for a new one whose text the
 * result page shows this once, and revoking (after a confirmation) with the API's own store commands.
 */
public final class TokenPages {
    private static final Set<String> LIST_PARAMS = Set.of("state", "cursor", "done", "token");
    private static final Set<String> CREATE_FIELDS = Set.of("_csrf", "name", "projects", "expires_in", "rate_limit");
    private static final Pattern EXPIRES_IN = Pattern.compile("\\d{1,6}[dhm]");
    private static final Pattern PROJECT_SEPARATORS = Pattern.compile("[,\\r\\n]+");

    /** The expiries the form offers (the field takes any duration such as 12h, like the API's expires_in). */
    public static final List<Choice> EXPIRIES = List.of(new Choice("", "Never"), new Choice("1d", "In a day"),
            new Choice("7d", "In a week"), new Choice("30d", "In 30 days"), new Choice("90d", "In 90 days"),
            new Choice("365d", "In a year"));

    /** The scopes the form offers, with what each allows. */
    public static final List<Choice> SCOPES = List.of(
            new Choice("ingest", "ingest: send prompt logs, blobs and uploads"),
            new Choice("read", "read: read logs, prompts, assets, events and budgets"),
            new Choice("write", "write: register assets, prompt versions and labels"),
            new Choice("worker", "worker: background workers"),
            new Choice("admin", "admin: everything, including tokens, users and the audit trail"));

    /** A value a form offers and its label. */
    public record Choice(String value, String label) {}

    /** What the new-token form holds: its values after a refusal (blank at first). */
    public record Form(String name, List<String> scopes, String projects, String expiresIn, String rateLimit) {
        static Form blank() {
            return new Form("", List.of("read"), "", "30d", "");
        }

        public boolean has(String scope) {
            return scopes.contains(scope);
        }

        /** Whether the expiry is one the select offers (else it is shown as a choice of its own). */
        public boolean offered() {
            return EXPIRIES.stream().anyMatch(c -> c.value().equals(expiresIn));
        }
    }

    private final TokenStore tokens;

    TokenPages(TokenStore tokens) {
        this.tokens = tokens;
    }

    void register(Api api) {
        api.get("/admin/tokens", this::list);
        api.get("/admin/tokens/rows", this::rows);
        api.get("/admin/tokens/new", this::form);
        api.post("/admin/tokens", this::create);
        api.post("/admin/tokens/{id}/revoke", this::revoke);
    }

    private void list(Context ctx) {
        RequestParams p = RequestParams.of(ctx, LIST_PARAMS);
        String state = p.oneOf("state", TokenStore.STATES).orElse("active");
        Page<TokenStore.TokenInfo> page = tokens.page(state, AdminPages.PAGE_SIZE, p.string("cursor"));
        String notice = p.oneOf("done", Set.of("revoked")).flatMap(done -> p.string("token")
                .flatMap(id -> tokens.find(AdminPages.uuid("token", id)))
                .map(t -> "Revoked the token “" + t.name() + "”: every client and browser session using it is refused."))
                .orElse(null);
        Map<String, Object> model = rowsModel(state, page);
        model.put("state", state);
        model.put("states", List.of("active", "expired", "revoked", "all"));
        model.put("notice", notice);
        Pages.render(ctx, "storyboard/auth/tokens.jte", model);
    }

    private void rows(Context ctx) {
        RequestParams p = RequestParams.of(ctx, Set.of("state", "cursor"));
        String state = p.oneOf("state", TokenStore.STATES).orElse("active");
        Pages.render(ctx, "storyboard/auth/tokenRows.jte",
                rowsModel(state, tokens.page(state, AdminPages.PAGE_SIZE, p.string("cursor"))));
    }

    private static Map<String, Object> rowsModel(String state, Page<TokenStore.TokenInfo> page) {
        return AdminPages.listModel("/admin/tokens", "tokens", page, AdminPages.params("state", state));
    }

    private void form(Context ctx) {
        RequestParams.of(ctx, Set.of());
        showForm(ctx, 200, Form.blank(), null, null);
    }

    private static void showForm(Context ctx, int status, Form form, String error, String field) {
        Map<String, Object> model = new HashMap<>();
        model.put("form", form);
        model.put("error", error);
        model.put("field", field);
        model.put("scopes", SCOPES);
        model.put("expiries", EXPIRIES);
        ctx.status(status);
        Pages.render(ctx, "storyboard/auth/tokenNew.jte", model);
    }

    /** Creates the token with the API's rules and store; its text is on this answer and nowhere else. */
    private void create(Context ctx) {
        RequestParams.of(ctx, Set.of());
        PageForm f = PageForm.read(ctx, CREATE_FIELDS, Set.of("scopes"));
        Form form = new Form(f.string("name").orElse(""), f.all("scopes"), f.string("projects").orElse(""),
                f.string("expires_in").orElse(""), f.string("rate_limit").orElse(""));
        TokenStore.CreatedToken created;
        try {
            created = tokens.create(Actor.of(ctx), spec(form));
        } catch (DomainException e) {
            showForm(ctx, 400, form, e.getMessage(), e.field());
            return;
        }
        ctx.status(201);
        Pages.render(ctx, "storyboard/auth/tokenCreated.jte", Map.of("token", created.info(), "secret", created.token()));
    }

    /** The token a filled-in form asks for, by the rules the API and the CLI follow; a refusal names its field. */
    private static TokenStore.NewToken spec(Form form) {
        Set<Scope> scopes = new LinkedHashSet<>();
        for (String s : form.scopes()) {
            try {
                scopes.add(Scope.parse(s));
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("invalid_field", e.getMessage(), "scopes");
            }
        }
        Set<String> projects = new LinkedHashSet<>();
        Arrays.stream(PROJECT_SEPARATORS.split(form.projects())).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(projects::add);
        Instant expiresAt = null;
        if (!form.expiresIn().isEmpty()) {
            if (!EXPIRES_IN.matcher(form.expiresIn()).matches()) {
                throw DomainException.invalid("invalid_field", "the expiry must be a duration such as 30d, 12h or 90m",
                        "expires_in");
            }
            expiresAt = Instant.now().plus(Durations.parse(form.expiresIn()).orElseThrow());
        }
        Integer rateLimit = null;
        if (!form.rateLimit().isEmpty()) {
            try {
                rateLimit = Integer.parseInt(form.rateLimit());
            } catch (NumberFormatException e) {
                throw DomainException.invalid("invalid_field", "the rate limit is a whole number of requests per second",
                        "rate_limit");
            }
        }
        return TokenRequests.validate(form.name(), scopes, projects.isEmpty() ? null : projects, expiresAt, rateLimit);
    }

    /** Revokes (the page asked for a confirmation first); revoking a revoked token again changes nothing. */
    private void revoke(Context ctx) {
        RequestParams.of(ctx, Set.of());
        PageForm.read(ctx, Set.of("_csrf"), Set.of());
        UUID id = JsonBody.pathUuid(ctx, "id");
        Optional<TokenStore.TokenInfo> revoked = tokens.revoke(Actor.of(ctx), id.toString());
        if (revoked.isEmpty() && tokens.find(id).isEmpty()) throw ApiException.notFound("token " + id);
        ctx.redirect(AdminPages.url("/admin/tokens", AdminPages.params("done", "revoked", "token", id.toString())),
                HttpStatus.SEE_OTHER);
    }
}
