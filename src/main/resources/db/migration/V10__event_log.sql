-- Every change of every capability, in commit order. Writers append under one transaction-scoped advisory
-- lock held until their commit, so sequence numbers become visible strictly in order: a reader that has seen
-- seq N has seen every event below N, and replay from a cursor has no gaps and no duplicates.
create table event (
    seq        bigint generated always as identity primary key,
    at         timestamptz not null default clock_timestamp(),
    type       text not null,
    subject_id text,
    project    text,
    actor_type text,
    actor_id   text,
    actor_name text,
    payload    jsonb
);
create index event_at on event (at);
create index event_project on event (project, seq) where project is not null;
