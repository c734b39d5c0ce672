package storyboard.kernel;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing, newest or first items first, and the cursor of the next page (null on the last). Serialised
 * as {@code {"items": [...], "next_cursor": "..."}}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * The page of {@code rows} fetched with a limit of {@code limit + 1}: the extra row only tells that there is a
     * next page, whose cursor is made from the last row shown.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> cursorOf) {
        if (rows.size() <= limit) return new Page<>(rows, null);
        List<T> shown = rows.subList(0, limit);
        return new Page<>(shown, cursorOf.apply(shown.get(limit - 1)).encode());
    }

    /** The same page with every item mapped (e.g. rows to the records the API answers with). */
    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }
}
