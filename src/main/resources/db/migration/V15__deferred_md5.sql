-- The MD5 of a large blob (over 64 MiB) is computed after its upload, in the background: null until then.
alter table blob alter column md5 drop not null;
alter table asset_version alter column md5 drop not null;
create index blob_md5_pending on blob (created_at) where md5 is null;
