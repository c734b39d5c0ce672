-- The prompt registry: named prompts (names may hold folders, e.g. breakdown/shots) with immutable numbered
-- versions, and labels (production, staging, any name) that each point at one version. "latest" is implicit.
create table prompt (
    id          uuid primary key,
    name        text not null unique,
    created_at  timestamptz not null default now(),
    created_by  text,
    archived_at timestamptz
);

-- Versions are never updated nor deleted: a change is a new version.
create table prompt_version (
    prompt_id        uuid not null references prompt (id),
    version          integer not null check (version > 0),
    kind             text not null check (kind in ('text', 'chat')),
    template         jsonb not null,            -- a JSON string (text) or an array of {role, content} (chat)
    variables        jsonb not null default '[]',  -- [{name, default?, description?}]
    config           jsonb not null default '{}',  -- model, temperature, max_tokens, anything
    reference_assets uuid[] not null default '{}',
    message          text,
    author           text,
    created_at       timestamptz not null default now(),
    primary key (prompt_id, version)
);

create table prompt_label (
    prompt_id  uuid not null references prompt (id),
    label      text not null,
    version    integer not null,
    updated_at timestamptz not null default now(),
    updated_by text,
    primary key (prompt_id, label),
    foreign key (prompt_id, version) references prompt_version (prompt_id, version)
);
