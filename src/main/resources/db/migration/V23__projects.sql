-- B-Line storyboard projects: a project is a folder of files; each push makes a numbered revision whose manifest
-- names every file (path, blob, size, mode). Files are blobs, stored once whatever the number of revisions.
create table project (
    id            uuid primary key,
    name          text not null,           -- projectName of project.json; the key prompt logs and tokens use
    head_revision integer not null check (head_revision > 0),
    fps           numeric,
    created_at    timestamptz not null default now(),
    created_by    text,
    updated_at    timestamptz not null default now(),
    archived_at   timestamptz,             -- read-only and out of the default list, restorable at once
    deleted_at    timestamptz,             -- soft delete: restorable until gc purges it
    deleted_by    text
);
create unique index project_live_name on project (name) where deleted_at is null;
create index project_updated on project (updated_at desc, id);
create index project_name_trgm on project using gin (lower(name) gin_trgm_ops);

create table project_revision (
    project_id      uuid not null references project (id) on delete cascade,
    revision        integer not null check (revision > 0),
    parent_revision integer,
    author          text,
    message         text not null default '',
    created_at      timestamptz not null default now(),
    file_count      integer not null,
    byte_count      bigint not null,
    report          jsonb not null,        -- the import report of this revision: counts and warnings
    primary key (project_id, revision)
);

create table project_file (
    project_id uuid not null,
    revision   integer not null,
    path       text not null,
    sha256     text not null references blob (sha256),
    size       bigint not null check (size >= 0),
    mode       integer not null default 420,   -- 0644
    primary key (project_id, revision, path),
    foreign key (project_id, revision) references project_revision (project_id, revision) on delete cascade
);
create index project_file_blob on project_file (sha256);
