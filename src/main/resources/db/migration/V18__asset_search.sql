-- Asset search (GET /api/v1/assets?q=) as people type it. Asset names are paths such as
-- thumbnails/panel_<uuid>.png, which the text-search parser kept whole (a "file" token), so neither 'panel' nor
-- 'track' nor '0002_SCENE_002' found anything. A new words column and two indexes replace the old column:
--
-- 1. Words: the name split where people see word breaks (/ _ . - and any other punctuation, and case changes such
--    as SceneTwo or HTTPServer), with the metadata's keys and values (search_words, GIN-indexed). A term of letters
--    and digits matches the words it begins.
-- 2. Substrings: a trigram GIN index on the lower-cased name, for lower(name) LIKE '%term%' (escaped), which it
--    serves from three characters on; any term of three or more characters matches anywhere in the name.

create function asset_search_words(name text, metadata jsonb) returns tsvector
    language sql immutable parallel safe
as $$
    select to_tsvector('pg_catalog.simple',
        regexp_replace(
            regexp_replace(
                regexp_replace(name || ' ' || coalesce(jsonb_path_query_array(metadata, 'strict $.**')::text, ''),
                    '([[:upper:]])([[:upper:]][[:lower:]])', '\1 \2', 'g'),
                '([[:lower:]])([[:upper:]])', '\1 \2', 'g'),
            '[^[:alnum:]]+', ' ', 'g'))
$$;

-- Stored, as the old column was: a search re-checks the rows it finds, and recomputing their words there (an index
-- on the expression) made 'panel' among 1M assets, 250k of them matching, take 3 to 9 s instead of 0.5 to 0.8 s.
-- Adding the column rewrites the table once (about a minute per million assets).
drop index asset_search;
alter table asset drop column search;
alter table asset add column search_words tsvector generated always as (asset_search_words(name, metadata)) stored;
create index asset_words on asset using gin (search_words);
create index asset_name_trgm on asset using gin (lower(name) gin_trgm_ops);
