package storyboard.projects;

import java.util.LinkedHashMap;
import java.util.Map;
import storyboard.api.ApiException;

/**
 * A refusal whose JSON body says more than the usual error, message and field: the problems of a package, the
 * revision a push collided with, the blobs still missing. {@link ProjectRoutes} writes its {@link #body}.
 */
final class Refusal extends ApiException {
    private final Map<String, Object> extra;

    Refusal(int status, String code, String message, Map<String, Object> extra) {
        super(status, code, message, null);
        this.extra = new LinkedHashMap<>(extra);
    }

    /** {@code {"error", "message", "field", ...extra}}. */
    Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error", code());
        b.put("message", getMessage());
        b.put("field", field());
        b.putAll(extra);
        return b;
    }
}
