-- Webhook subscriptions and their deliveries. Deliveries are made from the event log, asynchronously: a
-- subscription's cursor (last_seq) says how far the log has been fanned out into its deliveries, so nothing
-- is lost across restarts and several server processes can share the work (row locks with SKIP LOCKED).
create table webhook (
    id                   uuid primary key,
    url                  text not null,
    description          text,
    types                text[],             -- exact types or prefixes such as prompt_log.*; null: every type
    project              text,               -- null: every project (and events without one)
    secret               text not null,      -- signs each request; shown once, at creation
    active               boolean not null default true,
    paused_at            timestamptz,        -- set when the server paused it after failures
    paused_reason        text,
    consecutive_failures integer not null default 0,
    failing_since        timestamptz,        -- the first failure of the current run of failures
    last_seq             bigint not null,    -- fan-out cursor: events up to here have their deliveries
    created_at           timestamptz not null default now(),
    created_by           text,
    updated_at           timestamptz not null default now()
);

create table webhook_delivery (
    id               uuid primary key,
    webhook_id       uuid not null references webhook (id) on delete cascade,
    event_seq        bigint not null,
    event_type       text not null,
    body             text not null,          -- the exact JSON sent, as it was when the event was fanned out
    status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts         integer not null default 0,
    next_attempt_at  timestamptz not null default now(),
    lease_until      timestamptz,            -- an attempt is in flight until then (a process that died lets go)
    window_start     timestamptz not null default now(), -- retries go on for the retry window from here
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    last_response    text,                   -- the first bytes of the receiver's answer
    last_duration_ms integer,
    delivered_at     timestamptz,
    created_at       timestamptz not null default now(),
    unique (webhook_id, event_seq)
);
-- What the dispatcher claims: pending deliveries by due time.
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
-- A subscription's deliveries by status, newest first (the unique key serves the unfiltered list).
create index webhook_delivery_status on webhook_delivery (webhook_id, status, event_seq);
