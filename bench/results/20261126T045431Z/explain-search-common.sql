-- search-common
prepare q(varchar, varchar, int) as select * from prompt_log where (search @@ to_tsquery('simple', $1) or (coalesce(prompt, '') || ' ' || coalesce(response, '')) ilike $2) order by occurred_at desc, seq desc limit $3;
\echo '-- execution 1'
explain (analyze, buffers) execute q('harbor:*', '%harbor%', 51);
execute q('harbor:*', '%harbor%', 51) \g /dev/null
execute q('harbor:*', '%harbor%', 51) \g /dev/null
execute q('harbor:*', '%harbor%', 51) \g /dev/null
execute q('harbor:*', '%harbor%', 51) \g /dev/null
\echo '-- execution 6'
explain (analyze, buffers) execute q('harbor:*', '%harbor%', 51);
