-- Spending per project ('' for logs of no project) and calendar month (UTC), kept by ingest and deletes in
-- their own transactions, so budget checks never sum the prompt history.
create table prompt_spend (
    project text not null,
    month   date not null,
    cost    numeric not null default 0,
    logs    bigint not null default 0,
    primary key (project, month)
);
insert into prompt_spend (project, month, cost, logs)
select coalesce(project, ''), (date_trunc('month', occurred_at at time zone 'UTC'))::date, coalesce(sum(cost), 0), count(*)
  from prompt_log group by 1, 2;

-- Monthly cost budgets: one per project, and one studio-wide (project null).
create table budget (
    id            uuid primary key,
    project       text,
    monthly_limit numeric not null check (monthly_limit > 0),
    currency      text not null default 'USD',
    created_at    timestamptz not null default now(),
    created_by    text,
    updated_at    timestamptz not null default now()
);
create unique index budget_project on budget (coalesce(project, ''));

-- Thresholds reached, once each per budget and month.
create table budget_alert (
    budget_id     uuid not null references budget (id) on delete cascade,
    period        date not null,
    threshold     integer not null,
    spent         numeric not null,
    monthly_limit numeric not null,
    at            timestamptz not null default now(),
    primary key (budget_id, period, threshold)
);
