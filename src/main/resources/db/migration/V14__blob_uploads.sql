-- Resumable uploads (tus 1.0): the bytes received so far live in <blob dir>/uploads/<id>.part; upload_offset
-- counts only bytes that were fsynced before it was written here, so a restarted server resumes from it.
create table blob_upload (
    id              uuid primary key,
    length          bigint not null check (length >= 0),
    upload_offset   bigint not null default 0 check (upload_offset >= 0 and upload_offset <= length),
    declared_sha256 text check (declared_sha256 ~ '^[0-9a-f]{64}$'), -- from Upload-Metadata, verified at the end
    metadata        jsonb not null default '{}',                      -- the other Upload-Metadata pairs, decoded
    sha256          text,                                             -- set once complete: the blob it became
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    expires_at      timestamptz not null,
    created_by      text
);
create index blob_upload_expires on blob_upload (expires_at);
create index blob_upload_declared on blob_upload (declared_sha256) where declared_sha256 is not null and sha256 is null;
