-- Partial-word search without a trigram index over every prompt. A trigram GIN index on the full text costs
-- hundreds of index entries per log at ingest. Instead, as the pg_trgm documentation suggests for text search,
-- keep the vocabulary of distinct words with a trigram index of its own: a partial word is looked up there
-- (cheap: the vocabulary is small and grows slowly), and the words found are searched in the full-text index.
drop index if exists prompt_log_text_trgm;

create table search_word (word text primary key);
create index search_word_trgm on search_word using gin (word gin_trgm_ops);

-- Once per INSERT statement: the group-commit writer stores many logs per statement, so its words are
-- de-duplicated before they reach the vocabulary. Words are inserted in order so that concurrent
-- statements adding the same new words cannot deadlock.
create function prompt_log_add_words() returns trigger language plpgsql as $$
begin
    insert into search_word (word)
    select distinct w
      from new_rows, unnest(tsvector_to_array(new_rows.search)) as w
     where length(w) <= 100
     order by w
    on conflict do nothing;
    return null;
end
$$;

create trigger prompt_log_add_words after insert on prompt_log
    referencing new table as new_rows
    for each statement execute function prompt_log_add_words();

insert into search_word (word)
select distinct w from prompt_log, unnest(tsvector_to_array(search)) as w where length(w) <= 100
on conflict do nothing;
