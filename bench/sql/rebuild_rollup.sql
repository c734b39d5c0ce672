-- The dashboard's rollups rebuilt from prompt_log, as migration V21 fills them: for rows loaded with SQL
-- (bench/sql/load_rows.sql), which bypasses the server that keeps them.
begin;
truncate prompt_log_hourly, prompt_log_monthly;
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
commit;
