-- Content-addressed bytes. A row exists only once the file is complete, verified and durable in the store.
create table blob (
    sha256     text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
    size       bigint not null check (size >= 0),
    md5        text not null,
    media_type text,               -- sniffed from the bytes
    created_at timestamptz not null default now()
);
create index blob_md5 on blob (md5);
create index blob_created on blob (created_at);

-- Assets: named, classified files with numbered versions; each version points at one blob.
create table asset (
    id          uuid primary key,
    name        text not null,
    kind        text not null check (kind in ('image', 'thumbnail', 'audio', 'video', 'model', 'lora', 'controlnet',
                                              'reference', 'document', 'other')),
    project     text,
    scene       text,
    shot        text,
    panel       text,
    tags        text[] not null default '{}',
    metadata    jsonb not null default '{}',
    created_at  timestamptz not null default now(),
    created_by  text,
    updated_at  timestamptz not null default now(),
    deleted_at  timestamptz,       -- soft delete: restorable until the grace period ends
    deleted_by  text,
    search      tsvector generated always as (
                    to_tsvector('simple', name || ' ' || coalesce(jsonb_path_query_array(metadata, 'strict $.**')::text, ''))) stored
);
create index asset_project on asset (project, updated_at desc) where deleted_at is null;
create index asset_kind on asset (kind, updated_at desc) where deleted_at is null;
create index asset_tags on asset using gin (tags);
create index asset_search on asset using gin (search);

create table asset_version (
    asset_id            uuid not null references asset (id) on delete cascade,
    version             integer not null check (version > 0),
    blob_sha256         text not null references blob (sha256),
    size                bigint not null,
    md5                 text not null,
    media_type          text,      -- sniffed
    declared_media_type text,      -- what the client said
    width               integer,
    height              integer,
    duration_ms         bigint,
    thumbnail_sha256    text references blob (sha256),
    author              text,
    created_at          timestamptz not null default now(),
    -- Provenance: what made it.
    prompt_log_id       uuid,
    prompt_name         text,
    prompt_version      integer,
    model               text,
    seed                bigint,
    job_id              text,
    primary key (asset_id, version)
);
create index asset_version_blob on asset_version (blob_sha256);
create index asset_version_md5 on asset_version (md5);
create index asset_version_thumbnail on asset_version (thumbnail_sha256) where thumbnail_sha256 is not null;
create index asset_version_prompt_log on asset_version (prompt_log_id) where prompt_log_id is not null;

-- Lineage: a version was made from these (e.g. an image from a LoRA's version and a reference picture).
create table asset_version_parent (
    asset_id        uuid not null,
    version         integer not null,
    parent_asset_id uuid not null,
    parent_version  integer not null,
    primary key (asset_id, version, parent_asset_id, parent_version),
    foreign key (asset_id, version) references asset_version (asset_id, version) on delete cascade,
    foreign key (parent_asset_id, parent_version) references asset_version (asset_id, version) on delete cascade
);
create index asset_version_parent_reverse on asset_version_parent (parent_asset_id, parent_version);
