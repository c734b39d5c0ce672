-- Who did what, when, from where: every admin action, every delete, every token or user change and every
-- sign-in attempt. Rows are written in the same transaction as the change they describe.
create table audit_event (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default clock_timestamp(),
    actor_type  text not null,          -- token | auth_token | user | cli | server | anonymous
    actor_id    text,                   -- token id, user id, OS user of a CLI run
    actor_name  text,
    action      text not null,          -- e.g. token.create, token.revoke, user.update, prompt_log.delete
    target_type text,
    target_id   text,
    details     jsonb,
    address     text,
    request_id  text
);
create index audit_event_recent on audit_event (at desc, id desc);
create index audit_event_action on audit_event (action, at desc, id desc);
create index audit_event_actor on audit_event (actor_id, at desc, id desc);
create index audit_event_target on audit_event (target_type, target_id, at desc, id desc);
