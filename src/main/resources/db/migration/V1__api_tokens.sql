-- Bearer tokens. Only a SHA-256 of each token is kept; the token itself is shown once, at creation.
create table api_token (
    id           uuid primary key,
    name         text not null,
    token_hash   text not null unique,
    token_prefix text not null,
    scopes       text[] not null,
    created_at   timestamptz not null default now(),
    created_by   text,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
