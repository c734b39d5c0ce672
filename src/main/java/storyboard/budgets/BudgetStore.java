package storyboard.budgets;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.DomainException;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;

/**
 * The SQL of budgets: set, read with a month's spending, delete. Changes are audited and evented. A credential
 * restricted to projects sees and changes only its projects' budgets, never the studio-wide one.
 */
final class BudgetStore {
    private final Jdbi jdbi;

    BudgetStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A stored budget of a project (null: the studio's). */
    record Budget(UUID id, String project, BigDecimal monthlyLimit, String currency, Instant createdAt,
                  String createdBy, Instant updatedAt) {}

    /** A budget with what was spent against it in one month, as the API shows it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BudgetMonth(UUID id, String project, boolean studioWide, BigDecimal monthlyLimit, String currency,
                       String period, BigDecimal spent, BigDecimal remaining, List<Integer> thresholdsReached,
                       Instant createdAt, String createdBy, Instant updatedAt) {}

    /** Spent, limit and remaining of a project or the studio in a month; no budget set means no limit. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Standing(BigDecimal spent, BigDecimal monthlyLimit, BigDecimal remaining, String currency) {
        boolean allowsSpending() {
            return monthlyLimit == null || spent.compareTo(monthlyLimit) < 0;
        }
    }

    /** The budget set, and whether it was created (rather than replaced). */
    record SetResult(BudgetMonth budget, boolean created) {}

    /**
     * Creates or replaces the budget of {@code project} (null: the studio's). A credential restricted to projects
     * may set only its projects' budgets: another project is not found, the studio-wide budget forbidden.
     */
    SetResult set(Actor actor, Visibility visibility, String project, BigDecimal limit, String currency) {
        if (!visibility.canSee(project)) {
            throw project == null
                    ? DomainException.forbidden("a credential restricted to projects cannot set the studio-wide budget")
                    : DomainException.notFound("project '" + project + "'");
        }
        return jdbi.inTransaction(h -> {
            Optional<Budget> before = findByProject(h, project);
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
            LocalDate month = Spending.monthOf(Instant.now());
            try {
                Changes.publish(h.getConnection(), Spending.crossings(h.getConnection(),
                        project == null ? List.of() : List.of(project), month));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new SetResult(month(h, findByProject(h, project).orElseThrow(), month), before.isEmpty());
        });
    }

    /** Deletes a visible budget and records it; a budget not visible is not found. */
    void delete(Actor actor, UUID id, Visibility visibility) {
        jdbi.useTransaction(h -> {
            Budget b = find(h, id, visibility);
            h.createUpdate("delete from budget where id = :id").bind("id", id).execute();
            Changes.record(h, actor, Change.of("budget.deleted", "budget", id.toString(), b.project(),
                    Map.of("project", String.valueOf(b.project()))));
        });
    }

    /** The budgets visible, the studio's first, with their spending in {@code month}. */
    List<BudgetMonth> list(Visibility visibility, LocalDate month) {
        return jdbi.withHandle(h -> visibility.bind(h.createQuery("select * from budget where "
                                + visibility.sql("project") + " order by project nulls first"))
                .map((rs, c) -> budget(rs)).list().stream().map(b -> month(h, b, month)).toList());
    }

    /** The listing name of {@link #page} cursors. */
    static final String LISTING = "budgets";

    /**
     * A page of the budgets visible, the studio's first and then by project, with their spending in {@code month}:
     * keyset-paginated on the project (the studio's sorts as the empty name).
     */
    Page<BudgetMonth> page(Visibility visibility, LocalDate month, int limit, Optional<String> cursor) {
        Optional<String> after = Cursor.decode(cursor, LISTING, 1).map(c -> c.keys().get(0));
        return jdbi.withHandle(h -> {
            var q = visibility.bind(h.createQuery("select * from budget where " + visibility.sql("project")
                    + (after.isPresent() ? " and coalesce(project, '') > :after" : "")
                    + " order by coalesce(project, '') limit :limit"));
            after.ifPresent(a -> q.bind("after", a));
            List<Budget> rows = q.bind("limit", limit + 1).map((rs, c) -> budget(rs)).list();
            return Page.of(rows, limit, b -> Cursor.of(LISTING, b.project() == null ? "" : b.project()))
                    .map(b -> month(h, b, month));
        });
    }

    /** What a project (null: the whole studio) spent in a month. */
    record MonthSpend(LocalDate month, BigDecimal spent) {}

    /** The spending of a project (null: the whole studio) in each month from {@code first} to {@code last}, oldest first. */
    List<MonthSpend> spendingByMonth(String project, LocalDate first, LocalDate last) {
        Map<LocalDate, BigDecimal> spent = jdbi.withHandle(h -> h.createQuery("select month, coalesce(sum(cost), 0) as spent"
                        + " from prompt_spend where month between :first and :last"
                        + (project == null ? "" : " and project = :project") + " group by month")
                .bind("first", Date.valueOf(first)).bind("last", Date.valueOf(last)).bind("project", project)
                .reduceRows(new java.util.HashMap<LocalDate, BigDecimal>(), (m, row) -> {
                    m.put(row.getColumn("month", Date.class).toLocalDate(), row.getColumn("spent", BigDecimal.class));
                    return m;
                }));
        List<MonthSpend> out = new java.util.ArrayList<>();
        for (LocalDate m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            out.add(new MonthSpend(m, spent.getOrDefault(m, BigDecimal.ZERO)));
        }
        return out;
    }

    /** A visible budget with its spending in {@code month}. */
    BudgetMonth get(UUID id, Visibility visibility, LocalDate month) {
        return jdbi.withHandle(h -> month(h, find(h, id, visibility), month));
    }

    /** The standing of a project (null: the whole studio) in a month, against its budget if it has one. */
    Standing standing(String project, LocalDate month) {
        return jdbi.withHandle(h -> {
            BigDecimal spent = spent(h, project, month);
            return findByProject(h, project)
                    .map(b -> new Standing(spent, b.monthlyLimit(), remaining(b, spent), b.currency()))
                    .orElseGet(() -> new Standing(spent, null, null, null));
        });
    }

    private static BudgetMonth month(Handle h, Budget b, LocalDate month) {
        BigDecimal spent = spent(h, b.project(), month);
        return new BudgetMonth(b.id(), b.project(), b.project() == null, b.monthlyLimit(), b.currency(),
                Spending.period(month), spent, remaining(b, spent), alerts(h, b.id(), month), b.createdAt(),
                b.createdBy(), b.updatedAt());
    }

    private static BigDecimal remaining(Budget b, BigDecimal spent) {
        return b.monthlyLimit().subtract(spent).max(BigDecimal.ZERO);
    }

    private static Budget find(Handle h, UUID id, Visibility visibility) {
        return visibility.bind(h.createQuery("select * from budget where id = :id and " + visibility.sql("project")))
                .bind("id", id).map((rs, c) -> budget(rs)).findOne()
                .orElseThrow(() -> DomainException.notFound("budget " + id));
    }

    private static Optional<Budget> findByProject(Handle h, String project) {
        return h.createQuery("select * from budget where coalesce(project, '') = coalesce(:project, '')")
                .bind("project", project).map((rs, c) -> budget(rs)).findOne();
    }

    /** What a project (null: the whole studio) spent in a month. */
    private static BigDecimal spent(Handle h, String project, LocalDate month) {
        return h.createQuery(project == null
                        ? "select coalesce(sum(cost), 0) from prompt_spend where month = :month"
                        : "select coalesce(sum(cost), 0) from prompt_spend where month = :month and project = :project")
                .bind("month", Date.valueOf(month)).bind("project", project).mapTo(BigDecimal.class).one();
    }

    /** The thresholds a budget has reached in a month. */
    private static List<Integer> alerts(Handle h, UUID budget, LocalDate month) {
        return h.createQuery(
                        "select threshold from budget_alert where budget_id = :id and period = :month order by threshold")
                .bind("id", budget).bind("month", Date.valueOf(month)).mapTo(Integer.class).list();
    }

    private static Budget budget(ResultSet rs) throws SQLException {
        return new Budget(rs.getObject("id", UUID.class), rs.getString("project"), rs.getBigDecimal("monthly_limit"),
                rs.getString("currency"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
