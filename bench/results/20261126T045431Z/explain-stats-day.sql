-- stats-day
prepare q as select to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD') as key, grouping(to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD')) as is_total, count(*) as count,
    coalesce(sum(tokens), 0) as tokens, coalesce(sum(cost), 0) as cost, avg(processing_ms) as avg_processing_time
    from prompt_log where true group by grouping sets ((to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD')), ()) order by is_total, key;
\echo '-- execution 1'
explain (analyze, buffers) execute q;
execute q \g /dev/null
execute q \g /dev/null
execute q \g /dev/null
execute q \g /dev/null
\echo '-- execution 6'
explain (analyze, buffers) execute q;
