-- A browser session is opened by a user's password or by pasting a token: `kind` says which. A token's session
-- references the stored token (its scopes and projects are read from it at every request, so revoking or expiry
-- ends the session at once); the configured AUTH_TOKEN's session keeps `credential_check`, an HMAC-SHA256 of the
-- AUTH_TOKEN's hash keyed by the session's cookie value, so the session ends when AUTH_TOKEN changes, and a copy
-- of the database reveals nothing about AUTH_TOKEN without the cookie.
alter table user_session
    add column kind text not null default 'user',
    add column token_id uuid references api_token (id) on delete cascade,
    add column credential_check text,
    alter column user_id drop not null;
alter table user_session alter column kind drop default;
alter table user_session add constraint user_session_kind check (
    (kind = 'user' and user_id is not null and token_id is null and credential_check is null)
    or (kind = 'token' and token_id is not null and user_id is null and credential_check is null)
    or (kind = 'auth_token' and credential_check is not null and user_id is null and token_id is null));
create index user_session_token on user_session (token_id) where token_id is not null;
