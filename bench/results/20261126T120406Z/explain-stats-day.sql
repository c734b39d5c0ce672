-- stats-day: the server's own, seen in pg_stat_activity
prepare q as select date_trunc('day', occurred_at at time zone 'UTC') as key, count(*) as count, coalesce(sum(tokens), 0) as tokens, coalesce(sum(cost), 0) as cost, coalesce(sum(processing_ms), 0) as processing_sum, count(processing_ms) as processing_count from prompt_log where true group by 1;
\echo '-- execution 1'
explain (analyze, buffers) execute q;
execute q \g /dev/null
execute q \g /dev/null
execute q \g /dev/null
execute q \g /dev/null
\echo '-- execution 6'
explain (analyze, buffers) execute q;
