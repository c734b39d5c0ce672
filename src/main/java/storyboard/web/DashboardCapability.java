package storyboard.web;

import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;
import storyboard.kernel.Principal;
import storyboard.kernel.RouteAccess;

/**
 * The dashboard's own routes: the overview ({@code /}), a page of the panels every capability offers, each loaded
 * by the browser from its capability's fragment route, and the static files of all pages.
 */
public final class DashboardCapability implements Capability {
    private final List<Panel> panels;
    private final Site site;

    /** The overview shows {@code panels}; {@code site} holds the navigation and static files of all pages. */
    public DashboardCapability(List<Panel> panels, Site site) {
        this.panels = panels.stream().sorted(Comparator.comparingInt(Panel::order)).toList();
        this.site = site;
    }

    @Override
    public String name() {
        return "dashboard";
    }

    @Override
    public void routes(Api api) {
        api.get("/", this::overview);
        api.get("/static/<path>", site.files()::serve);
    }

    private void overview(Context ctx) {
        Principal principal = Principal.of(ctx);
        List<Panel> visible = panels.stream()
                .filter(p -> RouteAccess.of("GET", p.path()).map(r -> r.allows(principal)).orElse(false))
                .toList();
        Pages.render(ctx, "storyboard/web/overview.jte", Map.of("panels", visible));
    }
}
