package storyboard.assets;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import storyboard.api.ApiException;
import storyboard.api.JsonBody;
import storyboard.api.RequestParams;
import storyboard.kernel.Api;
import storyboard.kernel.Page;
import storyboard.kernel.Principal;
import storyboard.kernel.RouteAccess;
import storyboard.kernel.Scope;
import storyboard.kernel.Visibility;
import storyboard.web.Pages;

/**
 * The dashboard's asset pages: {@code /assets}, a gallery of thumbnails with the API's filters in the URL, paged by
 * the listing's cursor (infinite scroll through {@code /assets/more}); and {@code /assets/{id}}, one asset with its
 * versions, their provenance and downloads, and its lineage both ways as trees. They read through the same store as
 * the API, with the credential's {@link Visibility}, and refuse what the API refuses (an asset of another project or
 * a deleted one is a 404 page, a bad parameter a 400 page).
 */
final class AssetPages {
    /** Cards per gallery page: a multiple of the columns at common widths. */
    static final int PAGE_SIZE = 48;
    /** How far the trees go unless the URL says otherwise: the API's default. */
    static final int DEFAULT_DEPTH = 20;
    private static final Set<String> DETAIL_PARAMS = Set.of("version", "depth", "include_deleted");
    private static final List<String> KINDS = AssetStore.KINDS.stream().sorted().toList();

    private final AssetStore store;
    private final AssetPageReads reads;

    AssetPages(AssetStore store, AssetPageReads reads) {
        this.store = store;
        this.reads = reads;
    }

    void register(Api api) {
        api.get("/assets", this::gallery);
        api.get("/assets/more", this::more); // before {id}, which it would otherwise match
        api.get("/assets/{id}", this::detail);
    }

    private record Listing(AssetViews.Query query, List<AssetViews.Card> cards, String next) {}

    /** One page of the gallery, filtered and checked as {@code GET /api/v1/assets} does. */
    private Listing listing(Context ctx) {
        Principal principal = Principal.of(ctx);
        RequestParams p = RequestParams.of(ctx, AssetRoutes.LIST_PARAMS);
        AssetStore.Filter filter = AssetRoutes.filter(p, principal);
        boolean includeDeleted = AssetRoutes.includeDeleted(p, principal);
        int limit = p.integer("limit", PAGE_SIZE, 1, 500);
        Page<Asset> page = store.list(filter, principal.visibility(), includeDeleted, limit, p.string("cursor"));
        Map<String, String> given = new LinkedHashMap<>();
        for (String name : AssetViews.Query.NAMES) p.string(name).ifPresent(v -> given.put(name, v));
        p.string("limit").ifPresent(v -> given.put("limit", v));
        return new Listing(new AssetViews.Query(given), page.items().stream().map(AssetViews.Card::of).toList(),
                page.nextCursor());
    }

    private void gallery(Context ctx) {
        Listing l = listing(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("query", l.query());
        params.put("cards", l.cards());
        params.put("next", l.next());
        params.put("kinds", KINDS);
        params.put("mayIncludeDeleted", Principal.of(ctx).may(Scope.ADMIN));
        Pages.render(ctx, "storyboard/assets/gallery.jte", params);
    }

    /** The next cards of the gallery, for its infinite scroll. */
    private void more(Context ctx) {
        Listing l = listing(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("query", l.query());
        params.put("cards", l.cards());
        params.put("next", l.next());
        Pages.render(ctx, "storyboard/assets/cards.jte", params);
    }

    private void detail(Context ctx) {
        Principal principal = Principal.of(ctx);
        Visibility visible = principal.visibility();
        RequestParams p = RequestParams.of(ctx, DETAIL_PARAMS);
        UUID id = JsonBody.pathUuid(ctx, "id");
        boolean includeDeleted = AssetRoutes.includeDeleted(p, principal);
        int version = p.integer("version", 0, 1, Integer.MAX_VALUE);
        int depth = p.integer("depth", DEFAULT_DEPTH, 1, AssetRoutes.MAX_DEPTH);
        Asset asset = store.get(id, visible, includeDeleted).orElseThrow(() -> ApiException.notFound("asset " + id));
        List<Integer> numbers = asset.versions().stream().map(Asset.Version::version).toList();
        if (version > 0 && !numbers.contains(version)) {
            throw new ApiException(404, "not_found", "asset " + id + " has no version " + version);
        }
        Set<UUID> parentIds = new LinkedHashSet<>();
        asset.versions().forEach(v -> v.parents().forEach(r -> parentIds.add(r.assetId())));
        AssetViews.Detail detail = AssetViews.detail(asset, version > 0 ? version : numbers.get(0),
                reads.names(parentIds, visible), new AssetViews.Links(mayOpen(principal, "/history/{id}"),
                        mayOpen(principal, "/prompts/<name>")));

        Map<String, Object> params = new HashMap<>();
        params.put("asset", detail);
        params.put("depth", depth);
        params.put("version", version > 0 ? version : null);
        // As the API: a deleted asset has no lineage (the walks stop at deleted assets). What it came from is its
        // latest version's ancestry (or the version asked for); what was made from it, from any of its versions.
        if (detail.deleted()) {
            params.put("madeFrom", null);
            params.put("usedBy", null);
        } else {
            params.put("madeFrom", reads.tree(asset, List.of(version > 0 ? version : numbers.get(0)), true, depth, visible));
            params.put("usedBy", reads.tree(asset, version > 0 ? List.of(version) : numbers, false, depth, visible));
        }
        params.put("deeper", Math.min(AssetRoutes.MAX_DEPTH, depth * 2));
        Pages.render(ctx, "storyboard/assets/detail.jte", params);
    }

    /** Whether the server has this page (another capability's, which may not exist) and the credential may open it. */
    private static boolean mayOpen(Principal principal, String path) {
        return RouteAccess.of("GET", path).map(r -> r.page() && r.allows(principal)).orElse(false);
    }
}
