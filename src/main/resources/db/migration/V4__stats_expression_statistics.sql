-- Without statistics on the per-day and per-hour keys PostgreSQL expects one group per row, and aggregates in a
-- single process. With them (PostgreSQL 14+) it knows there are a few hundred groups and splits the work
-- across parallel workers.
create statistics prompt_log_day on (date_trunc('day', occurred_at at time zone 'UTC')) from prompt_log;
create statistics prompt_log_hour on (date_trunc('hour', occurred_at at time zone 'UTC')) from prompt_log;
analyze prompt_log;
