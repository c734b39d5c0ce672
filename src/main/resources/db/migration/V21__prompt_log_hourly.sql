-- Rollups of the prompt history for the dashboard's overview, so that it never aggregates prompt_log itself (a
-- GROUP BY over a million logs takes about half a second). Ingest and deletes keep them exact in the transaction
-- that adds or removes the logs (PromptLogRollup). A project, model or user the log does not name is ''.
--
-- Two narrow tables rather than one keyed by every dimension: with 50 projects, 25 users, 4 types and 3 models,
-- an hour of a busy studio has more combinations than logs, and such a table would hold a row per log. The hourly
-- one is keyed by project only (counts per hour, today's figures); the monthly one holds each dimension on its own
-- (this month's figures and its top types, models, users and projects).
--
-- As prompt_spend: each concurrent ingest writer adds to a shard of its own (deletes to shard 0), so their commits
-- never wait on each other's row locks; readers sum the shards. A shard's figures may be negative.
create table prompt_log_hourly (
    hour    timestamptz not null,   -- the UTC hour of occurred_at
    project text not null,
    shard   smallint not null,
    logs    bigint not null,
    tokens  bigint not null,
    cost    numeric not null,
    primary key (hour, project, shard)
);

create table prompt_log_monthly (
    month     date not null,        -- the first day of the UTC month of occurred_at
    dimension text not null check (dimension in ('type', 'llm', 'user')),
    project   text not null,
    key       text not null,        -- the log's type, llm or user_name
    shard     smallint not null,
    logs      bigint not null,
    tokens    bigint not null,
    cost      numeric not null,
    primary key (month, dimension, project, key, shard)
);

-- Backfill from the logs already stored; the lock holds off writers until this commits, so none is missed.
lock table prompt_log in share mode;

insert into prompt_log_hourly (hour, project, shard, logs, tokens, cost)
select date_trunc('hour', occurred_at, 'UTC'), coalesce(project, ''), 0, count(*), coalesce(sum(tokens), 0),
       coalesce(sum(cost), 0)
  from prompt_log
 group by 1, 2;

insert into prompt_log_monthly (month, dimension, project, key, shard, logs, tokens, cost)
select l.month, d.dimension, l.project, d.key, 0, count(*), coalesce(sum(l.tokens), 0), coalesce(sum(l.cost), 0)
  from (select (date_trunc('month', occurred_at at time zone 'UTC'))::date as month, coalesce(project, '') as project,
               type, coalesce(llm, '') as llm, coalesce(user_name, '') as user_name, tokens, cost
          from prompt_log) l
 cross join lateral (values ('type', l.type), ('llm', l.llm), ('user', l.user_name)) as d(dimension, key)
 group by 1, 2, 3, 4;
