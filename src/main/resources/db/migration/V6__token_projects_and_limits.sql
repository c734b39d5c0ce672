-- A token may be restricted to projects (null: every project) and may carry its own rate limit
-- (requests per second; null: the server's default for the route's scope).
alter table api_token add column projects text[];
alter table api_token add column rate_limit integer check (rate_limit is null or rate_limit >= 0);
create index api_token_created on api_token (created_at, id);
