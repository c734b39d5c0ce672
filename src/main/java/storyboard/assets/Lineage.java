package storyboard.assets;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.UUID;

/**
 * What versions of an asset came from ({@code lineage}) or what was made from them ({@code used-by}): the versions
 * the walk started from, how deep it went, and the versions it reached, nearest first.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Lineage(UUID assetId, String name, List<Integer> versions, int depth, List<Step> items) {

    /** A version the walk reached, {@code depth} steps away. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Step(UUID assetId, int version, String name, String kind, String project, int depth) {}
}
