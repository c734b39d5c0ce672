-- Prompt history: one row per log the B-Line app (or any client) sent.
create extension if not exists pg_trgm;

create table prompt_log (
    id                uuid primary key,
    seq               bigint generated always as identity,
    idempotency_key   text unique,
    received_at       timestamptz not null,
    -- The client's own timestamp when it sent one, else the time received: what "when" means in filters,
    -- ordering and per-day stats, so back-filled logs land on the day they happened.
    occurred_at       timestamptz not null,
    client_timestamp  text,
    category          text,
    type              text not null,
    user_name         text,
    version           text,
    llm               text,
    prompt            text,
    response          text,
    tokens            bigint,
    cost              numeric,
    context           jsonb,
    user_id           text,
    project_id        text,
    session_id        text,
    correlation_id    text,
    environment       text,
    error_details     jsonb,
    input_size        bigint,
    output_size       bigint,
    latency_breakdown jsonb,
    model_params      jsonb,
    -- Every field the client sent that has no column of its own, and known fields of an unexpected type.
    extra             jsonb,
    body_sha256       text not null,
    -- Derived at ingest, for filters and stats.
    project           text,
    scene_id          text,
    scene_name        text,
    processing_ms     double precision,
    search            tsvector generated always as (
                          to_tsvector('simple', coalesce(prompt, '') || ' ' || coalesce(response, ''))) stored
);

create index prompt_log_recent on prompt_log (occurred_at desc, seq desc);
create index prompt_log_type on prompt_log (type, occurred_at desc, seq desc);
create index prompt_log_project on prompt_log (project, occurred_at desc, seq desc) where project is not null;
create index prompt_log_type_project on prompt_log (type, project, occurred_at desc, seq desc);
create index prompt_log_body on prompt_log (body_sha256);
create index prompt_log_search on prompt_log using gin (search);
create index prompt_log_text_trgm on prompt_log
    using gin ((coalesce(prompt, '') || ' ' || coalesce(response, '')) gin_trgm_ops);
-- Lets per-day and per-hour stats over all rows run as an index-only scan.
create index prompt_log_stats on prompt_log (occurred_at) include (tokens, cost, processing_ms);
