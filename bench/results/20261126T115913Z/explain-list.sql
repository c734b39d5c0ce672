-- list: the server's own, seen in pg_stat_activity
prepare q as select * from prompt_log where type = $1 and project = $2 order by occurred_at desc, seq desc limit $3;
\echo '-- execution 1'
explain (analyze, buffers) execute q('shots','project-07',51);
execute q('shots','project-07',51) \g /dev/null
execute q('shots','project-07',51) \g /dev/null
execute q('shots','project-07',51) \g /dev/null
execute q('shots','project-07',51) \g /dev/null
\echo '-- execution 6'
explain (analyze, buffers) execute q('shots','project-07',51);
