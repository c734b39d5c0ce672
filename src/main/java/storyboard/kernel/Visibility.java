package storyboard.kernel;

import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The one rule of who sees which project's data: a credential restricted to projects sees only the rows of those
 * projects (and nothing that belongs to no project); any other sees everything. Every store applies it the same
 * way, as {@link #sql} on its project column with {@link #bind} on the statement.
 *
 * @param projects the projects that may be seen; empty means every project
 */
public record Visibility(Set<String> projects) {
    /** What an unrestricted credential, the server itself or a command on its machine sees. */
    public static final Visibility ALL = new Visibility(Set.of());

    /** The bound parameter that holds the visible projects. */
    static final String PARAMETER = "visible_projects";

    public Visibility {
        projects = Set.copyOf(projects);
    }

    public static Visibility of(Set<String> projects) {
        return projects == null || projects.isEmpty() ? ALL : new Visibility(projects);
    }

    public boolean restricted() {
        return !projects.isEmpty();
    }

    /** Whether a row of this project (null: of no project) is visible. */
    public boolean canSee(String project) {
        return !restricted() || project != null && projects.contains(project);
    }

    /** The SQL condition on a project column: {@code true}, or the column is one of the visible projects. */
    public String sql(String projectColumn) {
        return restricted() ? projectColumn + " = any(:" + PARAMETER + ")" : "true";
    }

    /** Binds what {@link #sql} refers to (nothing when every project is visible). */
    public <S extends SqlStatement<S>> S bind(S statement) {
        return restricted() ? statement.bindArray(PARAMETER, String.class, new TreeSet<>(projects)) : statement;
    }
}
