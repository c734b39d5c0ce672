package storyboard.kernel;

import java.util.Map;

/**
 * One change to the studio's data, named once for the audit trail and the event log alike ({@code asset.deleted}):
 * what kind of thing it touched and which, the project it belongs to (null: none), and small details that hold no
 * secret and no prompt text. {@link Changes} records it.
 */
public record Change(String name, String subjectType, String subjectId, String project, Map<String, ?> details) {
    public static Change of(String name, String subjectType, String subjectId, String project, Map<String, ?> details) {
        return new Change(name, subjectType, subjectId, project, details);
    }

    /** This change, made by {@code actor}. */
    public Changes.Made by(Actor actor) {
        return new Changes.Made(actor, this);
    }
}
