-- Prompt registry usage: a prompt log names the registry prompt it rendered as promptName / promptVersion,
-- at its top level (kept in "extra", having no column of its own) or inside "context". These two functions are
-- the one definition of where they are read from, shared by the index, the prompt-history filters and the
-- registry's usage figures. A version that is not a whole number (or absent) reads as null.
create function prompt_log_prompt_name(extra jsonb, context jsonb) returns text
    language sql immutable parallel safe
    as $$ select nullif(coalesce(extra ->> 'promptName', context ->> 'promptName'), '') $$;

create function prompt_log_prompt_version(extra jsonb, context jsonb) returns integer
    language sql immutable parallel safe
    as $$ select case
        when coalesce(extra ->> 'promptVersion', context ->> 'promptVersion') ~ '^\s*[0-9]{1,9}\s*$'
        then trim(coalesce(extra ->> 'promptVersion', context ->> 'promptVersion'))::integer
    end $$;

-- Partial: logs that name no prompt (most of them) add nothing to it.
create index prompt_log_prompt_usage
    on prompt_log (prompt_log_prompt_name(extra, context), prompt_log_prompt_version(extra, context), occurred_at desc, seq desc)
    include (tokens, cost, processing_ms, project)
    where prompt_log_prompt_name(extra, context) is not null;
