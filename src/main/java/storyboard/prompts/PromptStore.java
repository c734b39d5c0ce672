package storyboard.prompts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Actor;
import storyboard.kernel.Change;
import storyboard.kernel.Changes;
import storyboard.kernel.Cursor;
import storyboard.kernel.DomainException;
import storyboard.kernel.Json;
import storyboard.kernel.Page;
import storyboard.kernel.Visibility;

/**
 * The SQL of the prompt registry. Versions are only ever inserted; a new version and a label move each lock
 * the prompt's row first, so concurrent ones apply one after the other (numbers without gaps or clashes, no
 * lost move), and each records its audit entry and event in the same transaction. Its records are also what the
 * API answers with, as they serialise.
 */
final class PromptStore {
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    private final Jdbi jdbi;

    PromptStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    record Prompt(UUID id, String name, Instant createdAt, String createdBy, Instant archivedAt) {}

    /** A version as the API shows it (PromptVersion in openapi.yaml); the prompt's id only names it in ETags. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Version(@JsonIgnore UUID promptId, String name, int version, String kind, JsonNode template,
                   JsonNode variables, JsonNode config, List<UUID> referenceAssets, String message, String author,
                   Instant createdAt) {}

    /** What a new version holds; {@code variables} is the normalised [{name, default?, description?}] array. */
    record NewVersion(String kind, JsonNode template, JsonNode variables, JsonNode config, List<UUID> referenceAssets,
                      String message) {}

    /** A label pointed at a version; {@code previousVersion} is where it pointed before (null: the label is new). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LabelMove(String name, String label, int version, Integer previousVersion) {}

    /** What the audit entries and events of prompt changes hold. */
    private record VersionCreated(String name, int version, String message) {}

    private record LabelMoved(String name, String label, Integer from, int to) {}

    private record LabelDeleted(String name, String label, int from) {}

    private record ArchiveChanged(String name) {}

    /** Adds the next version of the prompt, creating the prompt with version 1 when the name is new. */
    Version createVersion(Actor actor, String name, NewVersion v, Visibility visibility) {
        return jdbi.inTransaction(h -> {
            checkAssets(h, v.referenceAssets(), visibility);
            h.createUpdate("insert into prompt (id, name, created_by) values (:id, :name, :by) on conflict (name) do nothing")
                    .bind("id", UUID.randomUUID()).bind("name", name).bind("by", actor.describe()).execute();
            Prompt p = writable(lock(h, name).orElseThrow(), "it takes no new versions");
            int next = h.createQuery("select coalesce(max(version), 0) + 1 from prompt_version where prompt_id = :id")
                    .bind("id", p.id()).mapTo(Integer.class).one();
            h.createUpdate("""
                            insert into prompt_version (prompt_id, version, kind, template, variables, config,
                                                        reference_assets, message, author)
                            values (:id, :version, :kind, cast(:template as jsonb), cast(:variables as jsonb),
                                    cast(:config as jsonb), :refs, :message, :author)""")
                    .bind("id", p.id()).bind("version", next).bind("kind", v.kind())
                    .bind("template", json(v.template())).bind("variables", json(v.variables()))
                    .bind("config", json(v.config())).bind("refs", v.referenceAssets().toArray(UUID[]::new))
                    .bind("message", v.message()).bind("author", actor.describe()).execute();
            Version created = version(h, p, next).orElseThrow();
            recordChange(h, actor, "prompt.version_created", p, new VersionCreated(name, next, v.message()));
            return created;
        });
    }

    /** Points the label at the version, answering where it pointed before. */
    LabelMove moveLabel(Actor actor, String name, String label, int version) {
        return jdbi.inTransaction(h -> {
            Prompt p = writable(found(name, lock(h, name)), "its labels stay where they are");
            if (version(h, p, version).isEmpty()) {
                throw DomainException.invalid("unknown_version", "prompt '" + name + "' has no version " + version, "version");
            }
            Integer previous = h.createQuery("select version from prompt_label where prompt_id = :id and label = :label")
                    .bind("id", p.id()).bind("label", label).mapTo(Integer.class).findOne().orElse(null);
            h.createUpdate("""
                            insert into prompt_label (prompt_id, label, version, updated_by) values (:id, :label, :version, :by)
                            on conflict (prompt_id, label)
                            do update set version = excluded.version, updated_at = now(), updated_by = excluded.updated_by""")
                    .bind("id", p.id()).bind("label", label).bind("version", version).bind("by", actor.describe()).execute();
            recordChange(h, actor, "prompt.label_moved", p, new LabelMoved(name, label, previous, version));
            return new LabelMove(p.name(), label, version, previous);
        });
    }

    /** Removes the label; false when the prompt had no such label. */
    boolean deleteLabel(Actor actor, String name, String label) {
        return jdbi.inTransaction(h -> {
            Prompt p = writable(found(name, lock(h, name)), "its labels stay where they are");
            Integer previous = h.createQuery("delete from prompt_label where prompt_id = :id and label = :label returning version")
                    .bind("id", p.id()).bind("label", label).mapTo(Integer.class).findOne().orElse(null);
            if (previous == null) return false;
            recordChange(h, actor, "prompt.label_deleted", p, new LabelDeleted(name, label, previous));
            return true;
        });
    }

    /**
     * Archives the prompt (archived = true) or restores it. An archived prompt is read-only: it is still read,
     * rendered and diffed by name (clients that use it keep working), is left out of the list unless asked
     * for, and takes no new versions nor label moves. The result is the prompt after the change; archiving an
     * archived prompt (or restoring an active one) changes nothing and records nothing.
     */
    Prompt setArchived(Actor actor, String name, boolean archived) {
        return jdbi.inTransaction(h -> {
            Prompt p = found(name, lock(h, name));
            if ((p.archivedAt() != null) == archived) return p;
            Prompt changed = h.createQuery("update prompt set archived_at = " + (archived ? "now()" : "null")
                            + " where id = :id returning *")
                    .bind("id", p.id()).map((rs, c) -> prompt(rs)).one();
            recordChange(h, actor, "prompt." + (archived ? "archived" : "unarchived"), p, new ArchiveChanged(name));
            return changed;
        });
    }

    /** The prompt, unless it is archived (then what the change would have done is refused, with its consequence). */
    private static Prompt writable(Prompt p, String consequence) {
        if (p.archivedAt() != null) {
            throw DomainException.conflict("archived", "prompt '" + p.name() + "' is archived; " + consequence
                    + " (POST /api/v1/prompts/" + p.name() + "/unarchive restores it)");
        }
        return p;
    }

    private static void recordChange(Handle h, Actor actor, String change, Prompt p, Record details) {
        Changes.record(h, actor, Change.of(change, "prompt", p.id().toString(), null,
                Json.MAPPER.convertValue(details, DETAILS)));
    }

    /** The prompt, archived or not; not found when there is none. */
    Prompt prompt(String name) {
        return found(name, jdbi.withHandle(h -> h.createQuery("select * from prompt where name = :name")
                .bind("name", name).map((rs, c) -> prompt(rs)).findOne()));
    }

    private static Prompt found(String name, Optional<Prompt> prompt) {
        return prompt.orElseThrow(() -> DomainException.notFound("prompt '" + name + "'"));
    }

    /** The version of the prompt; not found when it has no such version. */
    Version version(Prompt p, int version) {
        return jdbi.withHandle(h -> version(h, p, version)).orElseThrow(() ->
                DomainException.notFound("version " + version + " of prompt '" + p.name() + "'"));
    }

    Version latest(Prompt p) {
        return jdbi.withHandle(h -> h.createQuery("select max(version) from prompt_version where prompt_id = :id")
                .bind("id", p.id()).mapTo(Integer.class).findOne().flatMap(n -> version(h, p, n))).orElseThrow();
    }

    Optional<Integer> label(Prompt p, String label) {
        return jdbi.withHandle(h -> h.createQuery("select version from prompt_label where prompt_id = :id and label = :label")
                .bind("id", p.id()).bind("label", label).mapTo(Integer.class).findOne());
    }

    /** Label to version, by label. */
    Map<String, Integer> labels(Prompt p) {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("select label, version from prompt_label where prompt_id = :id order by label")
                .bind("id", p.id()).map((rs, c) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** A prompt in a list: its latest version and labels. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Summary(String name, int latestVersion, Map<String, Integer> labels, Instant createdAt, String createdBy,
                   Instant updatedAt, Instant archivedAt) {}

    /** Which prompts a list shows: active ones (the default), archived ones, or both. */
    enum Archived { EXCLUDE, ONLY, INCLUDE }

    /**
     * Which prompts a list shows: whose names start with the prefix; that contain q (case-insensitive) in the
     * name or in the latest version's text; that have the label (null: any of these).
     */
    record Filter(String prefix, String q, String label, Archived archived) {}

    /** Prompts by name, from the cursor on. */
    Page<Summary> list(Filter f, Optional<String> cursor, int limit) {
        String after = Cursor.decode(cursor, "prompts", 1).map(c -> c.string(0)).orElse(null);
        // One query: each prompt with its latest version (number and time) and its labels as JSON.
        List<Summary> rows = jdbi.withHandle(h -> h.createQuery("""
                        select p.*, latest.version as latest_version, latest.created_at as updated_at,
                               coalesce((select jsonb_object_agg(l.label, l.version)
                                           from prompt_label l where l.prompt_id = p.id), '{}')::text as labels
                          from prompt p
                          join lateral (select v.version, v.created_at, v.kind, v.template from prompt_version v
                                         where v.prompt_id = p.id order by v.version desc limit 1) latest on true
                         where (cast(:archived as text) = 'INCLUDE'
                                or (cast(:archived as text) = 'ONLY') = (p.archived_at is not null))
                           and (cast(:prefix as text) is null or starts_with(p.name, cast(:prefix as text)))
                           and (cast(:label as text) is null
                                or exists (select 1 from prompt_label l where l.prompt_id = p.id and l.label = cast(:label as text)))
                           and (cast(:q as text) is null
                                or strpos(p.name, lower(cast(:q as text))) > 0
                                or strpos(lower(case latest.kind when 'text' then latest.template #>> '{}'
                                          else (select string_agg(m ->> 'content', chr(10)) from jsonb_array_elements(latest.template) m)
                                          end), lower(cast(:q as text))) > 0)
                           and (cast(:after as text) is null or p.name collate "C" > cast(:after as text) collate "C")
                         order by p.name collate "C" limit :limit""")
                .bind("prefix", f.prefix()).bind("q", f.q()).bind("label", f.label()).bind("archived", f.archived().name())
                .bind("after", after).bind("limit", limit + 1)
                .map((rs, c) -> {
                    Prompt p = prompt(rs);
                    return new Summary(p.name(), rs.getInt("latest_version"), labels(rs.getString("labels")),
                            p.createdAt(), p.createdBy(), rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                            p.archivedAt());
                }).list());
        return Page.of(rows, limit, s -> Cursor.of("prompts", s.name()));
    }

    /** The labels a list row holds as a JSON object, by label (jsonb keeps keys by length first). */
    private static Map<String, Integer> labels(String json) {
        Map<String, Integer> labels = new TreeMap<>();
        try {
            Json.MAPPER.readTree(json).fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asInt()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return labels;
    }

    /** The prompt's versions, newest first, from the cursor on. */
    Page<Version> versions(Prompt p, Optional<String> cursor, int limit) {
        Long below = Cursor.decode(cursor, "prompt-versions", 1).map(c -> c.number(0)).orElse(null);
        List<Version> rows = jdbi.withHandle(h -> h.createQuery("""
                        select * from prompt_version where prompt_id = :id and (cast(:below as bigint) is null or version < :below)
                         order by version desc limit :limit""")
                .bind("id", p.id()).bind("below", below).bind("limit", limit + 1)
                .map((rs, c) -> version(rs, p.name())).list());
        return Page.of(rows, limit, v -> Cursor.of("prompt-versions", v.version()));
    }

    private static Optional<Prompt> lock(Handle h, String name) {
        return h.createQuery("select * from prompt where name = :name for update")
                .bind("name", name).map((rs, c) -> prompt(rs)).findOne();
    }

    private static Optional<Version> version(Handle h, Prompt p, int version) {
        return h.createQuery("select * from prompt_version where prompt_id = :id and version = :version")
                .bind("id", p.id()).bind("version", version).map((rs, c) -> version(rs, p.name())).findOne();
    }

    /** Reference assets must exist, not be deleted, and be visible to the credential. */
    private static void checkAssets(Handle h, List<UUID> ids, Visibility visibility) {
        if (ids.isEmpty()) return;
        List<UUID> found = visibility.bind(h.createQuery("select id from asset where id = any(:ids) and deleted_at is null"
                        + " and " + visibility.sql("project")))
                .bind("ids", ids.toArray(UUID[]::new)).mapTo(UUID.class).list();
        List<UUID> unknown = ids.stream().filter(id -> !found.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw DomainException.invalid("unknown_asset", "no such asset: " + unknown.get(0), "reference_assets");
        }
    }

    private static String json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Prompt prompt(ResultSet rs) throws SQLException {
        OffsetDateTime archivedAt = rs.getObject("archived_at", OffsetDateTime.class);
        return new Prompt(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                archivedAt == null ? null : archivedAt.toInstant());
    }

    private static Version version(ResultSet rs, String name) throws SQLException {
        try {
            Array refs = rs.getArray("reference_assets");
            return new Version(rs.getObject("prompt_id", UUID.class), name, rs.getInt("version"), rs.getString("kind"),
                    Json.MAPPER.readTree(rs.getString("template")), Json.MAPPER.readTree(rs.getString("variables")),
                    Json.MAPPER.readTree(rs.getString("config")), Arrays.asList((UUID[]) refs.getArray()),
                    rs.getString("message"), rs.getString("author"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
