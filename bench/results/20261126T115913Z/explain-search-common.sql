-- search-common: the server's own, seen in pg_stat_activity
prepare q as select * from prompt_log where search @@ to_tsquery('simple', $1) order by occurred_at desc, seq desc limit $2;
\echo '-- execution 1'
explain (analyze, buffers) execute q('(''harbor'':*)',51);
execute q('(''harbor'':*)',51) \g /dev/null
execute q('(''harbor'':*)',51) \g /dev/null
execute q('(''harbor'':*)',51) \g /dev/null
execute q('(''harbor'':*)',51) \g /dev/null
\echo '-- execution 6'
explain (analyze, buffers) execute q('(''harbor'':*)',51);
