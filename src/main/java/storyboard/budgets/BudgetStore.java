package storyboard.budgets;

import storyboard.kernel.Changes;
import storyboard.kernel.Change;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.auth.AuditLog;

/** The SQL of budgets: set, read with their month's spending, delete. Changes are audited and evented. */
final class BudgetStore {
    private final Jdbi jdbi;

    BudgetStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    record Budget(UUID id, String project, BigDecimal monthlyLimit, String currency, Instant createdAt,
                  String createdBy, Instant updatedAt) {}

    /** Creates or replaces the budget of a project (null: the studio's); true when it was created. */
    record SetResult(Budget budget, boolean created) {}

    SetResult set(Actor actor, String project, BigDecimal limit, String currency) {
        return jdbi.inTransaction(h -> {
            Optional<Budget> before = find(h, project);
            UUID id = before.map(Budget::id).orElseGet(UUID::randomUUID);
            if (before.isPresent()) {
                h.createUpdate("update budget set monthly_limit = :limit, currency = :currency, updated_at = now() where id = :id")
                        .bind("limit", limit).bind("currency", currency).bind("id", id).execute();
            } else {
                h.createUpdate("""
                                insert into budget (id, project, monthly_limit, currency, created_by)
                                values (:id, :project, :limit, :currency, :by)""")
                        .bind("id", id).bind("project", project).bind("limit", limit).bind("currency", currency)
                        .bind("by", actor.describe()).execute();
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("project", project);
            details.put("monthly_limit", limit);
            details.put("currency", currency);
            before.ifPresent(b -> details.put("previous_limit", b.monthlyLimit()));
            Changes.record(h, actor, Change.of("budget.set", "budget", id.toString(), project, details));
            // A budget set below what is already spent reaches its thresholds now, not at the next log.
            try {
                Changes.publish(h.getConnection(), Spending.crossings(h.getConnection(),
                        project == null ? List.of() : List.of(project), Spending.monthOf(Instant.now())));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new SetResult(find(h, project).orElseThrow(), before.isEmpty());
        });
    }

    boolean delete(Actor actor, UUID id, Set<String> visibleProjects) {
        return jdbi.inTransaction(h -> {
            Optional<Budget> b = find(h, id).filter(x -> visible(x, visibleProjects));
            if (b.isEmpty()) return false;
            h.createUpdate("delete from budget where id = :id").bind("id", id).execute();
            Changes.record(h, actor, Change.of("budget.deleted", "budget", id.toString(), b.get().project(), Map.of("project",
                    String.valueOf(b.get().project()))));
            return true;
        });
    }

    static boolean visible(Budget b, Set<String> visibleProjects) {
        return visibleProjects.isEmpty() || b.project() != null && visibleProjects.contains(b.project());
    }

    Optional<Budget> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    Optional<Budget> findByProject(String project) {
        return jdbi.withHandle(h -> find(h, project));
    }

    private static Optional<Budget> find(Handle h, UUID id) {
        return h.createQuery("select * from budget where id = :id").bind("id", id).map((rs, c) -> budget(rs)).findOne();
    }

    private static Optional<Budget> find(Handle h, String project) {
        return h.createQuery("select * from budget where coalesce(project, '') = coalesce(:project, '')")
                .bind("project", project).map((rs, c) -> budget(rs)).findOne();
    }

    List<Budget> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from budget order by project nulls first")
                .map((rs, c) -> budget(rs)).list());
    }

    /** What a project (null: the whole studio) spent in a month. */
    BigDecimal spent(String project, LocalDate month) {
        return jdbi.withHandle(h -> h.createQuery(project == null
                        ? "select coalesce(sum(cost), 0) from prompt_spend where month = :month"
                        : "select coalesce(sum(cost), 0) from prompt_spend where month = :month and project = :project")
                .bind("month", Date.valueOf(month)).bind("project", project).mapTo(BigDecimal.class).one());
    }

    /** The thresholds a budget has reached in a month. */
    List<Integer> alerts(UUID budget, LocalDate month) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select threshold from budget_alert where budget_id = :id and period = :month order by threshold")
                .bind("id", budget).bind("month", Date.valueOf(month)).mapTo(Integer.class).list());
    }

    private static Budget budget(ResultSet rs) throws SQLException {
        return new Budget(rs.getObject("id", UUID.class), rs.getString("project"), rs.getBigDecimal("monthly_limit"),
                rs.getString("currency"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
