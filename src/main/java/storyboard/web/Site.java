package storyboard.web;

import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import storyboard.kernel.Capability;

/**
 * What every page of the dashboard shares: the navigation of all capabilities and the static files. The server
 * builds it once and hands it to each request ({@link #ATTRIBUTE}), so a capability's page knows the others' links
 * without knowing the others.
 */
public record Site(List<Capability.NavLink> nav, StaticFiles files) {
    public static final String ATTRIBUTE = "storyboard.site";

    public Site {
        nav = nav.stream().sorted(Comparator.comparingInt(Capability.NavLink::order)).toList();
    }

    /** The overview's link, first in the navigation. */
    static final Capability.NavLink OVERVIEW = new Capability.NavLink("Overview", "/", 0);

    /** The site of every capability's links, after the overview's. */
    public static Site of(List<? extends Capability> capabilities) {
        return new Site(java.util.stream.Stream.concat(java.util.stream.Stream.of(OVERVIEW),
                capabilities.stream().flatMap(c -> c.nav().stream())).toList(), new StaticFiles());
    }

    static Site of(Context ctx) {
        Site site = ctx.attribute(ATTRIBUTE);
        if (site == null) throw new IllegalStateException("no site on the request: the server sets it before routes");
        return site;
    }
}
