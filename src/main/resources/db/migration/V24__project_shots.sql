-- The structured view of projects: one row per shot of a scene file, keyed by the file's content (its blob) and
-- path, so a scene is parsed once and shared by every revision (and project) that holds the same bytes there. A
-- revision's shots are its manifest's scene files joined here. Rows go with their blob when gc removes it.
create table project_shot (
    scene_sha256 text not null references blob (sha256) on delete cascade,
    scene_path   text not null,             -- scenes/0001_SCENE_001.json
    shot_index   integer not null,          -- its place in the scene, from 0
    scene_key    text not null,             -- 0001_SCENE_001
    scene_number integer not null,
    scene_name   text not null,
    shot_uuid    text,
    name         text,
    description  text,
    type         text,
    start_time   bigint not null,           -- ms
    end_time     bigint not null,
    camera       jsonb,
    dialogue     text not null,             -- one line per speaking character: "MARA: You said you'd call."
    characters   text[] not null,           -- who is in the shot
    panel_count  integer not null,
    panels       jsonb not null,            -- [{uuid, name, thumbnail, startTime, duration, description}] in order
    -- Search over what people look for in a board: the shot's name, description and dialogue, words as written.
    search       tsvector generated always as (to_tsvector('simple',
                     coalesce(name, '') || ' ' || coalesce(description, '') || ' ' || dialogue)) stored,
    primary key (scene_sha256, scene_path, shot_index)
);
create index project_shot_search on project_shot using gin (search);
create index project_shot_uuid on project_shot (shot_uuid);
