-- People: a password (Argon2id, PHC string) and a role. Names compare case-insensitively.
create table app_user (
    id            uuid primary key,
    username      text not null,
    display_name  text,
    role          text not null check (role in ('admin', 'editor', 'viewer')),
    password_hash text not null,
    created_at    timestamptz not null default now(),
    created_by    text,
    updated_at    timestamptz not null default now(),
    disabled_at   timestamptz,
    last_login_at timestamptz
);
create unique index app_user_username on app_user (lower(username));

-- Signed-in browser sessions: only a SHA-256 of the cookie value is kept, with the CSRF token of the session.
create table user_session (
    id           uuid primary key,
    session_hash text not null unique,
    user_id      uuid not null references app_user (id) on delete cascade,
    csrf_token   text not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    last_seen_at timestamptz not null default now(),
    address      text,
    user_agent   text
);
create index user_session_user on user_session (user_id);
create index user_session_expires on user_session (expires_at);
