-- vocabulary-rare: the server's own, seen in pg_stat_activity
prepare q as select word from search_word where word like $1 and word not like $2 limit $3;
\echo '-- execution 1'
explain (analyze, buffers) execute q('%mazuzu%','mazuzu%',200);
execute q('%mazuzu%','mazuzu%',200) \g /dev/null
execute q('%mazuzu%','mazuzu%',200) \g /dev/null
execute q('%mazuzu%','mazuzu%',200) \g /dev/null
execute q('%mazuzu%','mazuzu%',200) \g /dev/null
\echo '-- execution 6'
explain (analyze, buffers) execute q('%mazuzu%','mazuzu%',200);
