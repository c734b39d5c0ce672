-- Bulk-loads synthetic prompt logs straight into prompt_log, :chunk rows per transaction.
-- Run with: psql -v rows=1000000 -v chunk=25000 -v session=0 -v sessions=2 -v seed=0.11 -f load_rows.sql
-- :rows rows are numbered 1..:rows in time order and loaded in chunks; :sessions concurrent sessions (run.sh
-- starts two, one per core) take chunks in turn: session 0 chunks 0, 2, 4..., session 1 chunks 1, 3, 5...,
-- so the table fills roughly in occurred_at order, as it does when logs arrive as they happen (PostgreSQL's
-- plans depend on that correlation). seed: for random(), between -1 and 1, one per session.
--
-- The rows look like what the B-Line app sends (see /work/shared/contract/b-line/prompt-logs):
--   type       shots 40%, console 30%, acts 20%, shots_repair 10%
--   project    50 projects ("project-01".."project-50"), also in project_id and context.projectId
--   occurred_at the last 90 days, rising with the row number (+-5 minutes); received_at a moment later
--   prompt     300-600 characters: a fixed per-type template plus varied words, so that full-text search has
--              common terms (template words, ~40 locations, ~150 dialogue words) and selective ones
--              (character names made of three syllables: 8000 possible names, ~0.03% of rows each)
-- Deterministic (setseed) so two runs with the same seed load the same text.
\set ON_ERROR_STOP on
set synchronous_commit = off;
-- Fewer, larger flushes of the GIN pending lists while loading (a session setting; nothing persists).
set gin_pending_list_limit = '64MB';
set bench.rows = :rows;
set bench.chunk = :chunk;
set bench.session = :session;
set bench.sessions = :sessions;
select setseed(:seed);

-- Word lists (a temporary table: gone when the session ends).
-- 40 places, 30 verbs, 50 objects, 20 adverbs, 150 dialogue words.
create temp table vocab as select
array[
    'kitchen', 'harbor', 'car', 'rooftop', 'warehouse', 'diner', 'hospital', 'subway', 'library', 'garage',
    'motel', 'chapel', 'lighthouse', 'bakery', 'courtroom', 'gym', 'laundromat', 'greenhouse', 'office', 'stairwell',
    'alley', 'ferry', 'cabin', 'museum', 'theater', 'bar', 'bridge', 'parking', 'tunnel', 'farmhouse',
    'station', 'attic', 'basement', 'hangar', 'arcade', 'lobby', 'pier', 'orchard', 'cemetery', 'studio'] as places,
array[
    'slams', 'opens', 'grabs', 'drops', 'pushes', 'pulls', 'hides', 'throws', 'catches', 'kicks',
    'lifts', 'drags', 'shakes', 'studies', 'touches', 'breaks', 'fixes', 'carries', 'ignores', 'circles',
    'watches', 'follows', 'clutches', 'tosses', 'unlocks', 'seals', 'wipes', 'checks', 'steadies', 'abandons'] as verbs,
array[
    'door', 'fridge', 'window', 'phone', 'letter', 'glass', 'bottle', 'suitcase', 'knife', 'lamp',
    'photograph', 'ticket', 'wallet', 'radio', 'map', 'camera', 'umbrella', 'jacket', 'key', 'notebook',
    'coffee', 'cigarette', 'gun', 'ring', 'envelope', 'chair', 'table', 'mirror', 'curtain', 'box',
    'rope', 'flashlight', 'helmet', 'guitar', 'badge', 'watch', 'newspaper', 'candle', 'bag', 'shoe',
    'plate', 'coin', 'engine', 'rifle', 'folder', 'tape', 'clock', 'bracelet', 'receipt', 'scarf'] as objects,
array[
    'slowly', 'quickly', 'angrily', 'quietly', 'nervously', 'carefully', 'suddenly', 'gently', 'firmly', 'loudly',
    'silently', 'deliberately', 'softly', 'reluctantly', 'calmly', 'frantically', 'awkwardly', 'boldly', 'warily', 'tenderly'] as adverbs,
array[
    'you', 'said', 'call', 'never', 'again', 'why', 'did', 'leave', 'me', 'here', 'tonight', 'we',
    'have', 'to', 'go', 'now', 'they', 'know', 'about', 'the', 'money', 'where', 'were', 'when',
    'lights', 'went', 'out', 'I', 'told', 'not', 'trust', 'him', 'she', 'is', 'coming', 'back',
    'with', 'police', 'listen', 'carefully', 'this', 'time', 'it', 'will', 'be', 'different', 'cannot', 'stay',
    'in', 'town', 'any', 'longer', 'please', 'just', 'tell', 'truth', 'what', 'happened', 'at', 'party',
    'last', 'night', 'nobody', 'saw', 'anything', 'keep', 'voice', 'down', 'someone', 'might', 'hear', 'us',
    'dont', 'look', 'window', 'wait', 'until', 'morning', 'take', 'keys', 'bring', 'car', 'around', 'front',
    'get', 'before', 'too', 'late', 'remember', 'promise', 'made', 'summer', 'lake', 'house', 'my', 'brother',
    'would', 'understand', 'forget', 'everything', 'find', 'another', 'way', 'home', 'rain', 'stops', 'father', 'mother',
    'sister', 'doctor', 'captain', 'detective', 'stranger', 'friend', 'enemy', 'answer', 'question', 'secret', 'reason', 'chance',
    'mistake', 'problem', 'plan', 'deal', 'job', 'train', 'plane', 'boat', 'ticket', 'road', 'street', 'river',
    'ocean', 'city', 'village', 'country', 'world', 'dream', 'fear', 'hope', 'love', 'anger', 'sorry', 'thanks',
    'goodbye', 'hello', 'tomorrow', 'yesterday', 'always', 'maybe'] as words;


-- 4000 dialogue lines of 4 to 14 words drawn from vocab.words, picked at random for each row.
create temp table dialogue as
select i as id,
       (select initcap(string_agg(v.words[1 + floor(random() * 150)::int + 0 * w], ' ' order by w))
          from vocab v, generate_series(1, 4 + (i % 11)) w) as line
from generate_series(1, 4000) i;
analyze dialogue;

do $load$
declare
    total    bigint := current_setting('bench.rows')::bigint;
    chunk    bigint := current_setting('bench.chunk')::bigint;
    sessions int := current_setting('bench.sessions')::int;
    k        bigint := current_setting('bench.session')::int;   -- this session's next chunk
    t_end    timestamptz := now();
    first    bigint;
    n        bigint;
    done     bigint := 0;
    t0       timestamptz;
begin
    while k * chunk < total loop
        first := k * chunk + 1;
        n := least(chunk, total - k * chunk);
        t0 := clock_timestamp();
        insert into prompt_log (id, received_at, occurred_at, client_timestamp, category, type, user_name, version,
                                llm, prompt, response, tokens, cost, context, project_id, project, scene_id,
                                scene_name, processing_ms, input_size, output_size, body_sha256)
        select gen_random_uuid(), occ + make_interval(secs => proc_ms / 1000.0), occ,
               to_char(occ at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
               'Text', typ, 'user_' || usr, '1.0', llm, prompt, response, tokens, cost,
               case typ
                   when 'console' then jsonb_build_object('projectId', proj, 'sceneName', scene, 'model', llm,
                                                          'location', 'local', 'processing_time', proc_ms)
                   when 'acts' then jsonb_build_object('projectId', proj, 'contextType', 'acts')
                   when 'shots_repair' then jsonb_build_object('projectId', proj, 'repair', true, 'sceneId', '',
                                                               'sceneName', scene)
                   else jsonb_build_object('projectId', proj, 'sceneId', '', 'sceneName', scene)
               end,
               proj, proj, case when typ in ('shots', 'shots_repair') then '' end,
               case when typ <> 'acts' then scene end,
               proc_ms, length(prompt), length(response),
               encode(sha256(convert_to(g::text || prompt || response, 'UTF8')), 'hex')
        from (
            select g, occ, typ, proj, usr, llm, scene, proc_ms, tokens, cost,
                   case typ
                       when 'shots' then
                           'Analyze the following script excerpt and break it into shots. For each shot, provide a '
                           || 'JSON object with the following fields: name (format SHOT_XXXX, increment by 10), type, '
                           || 'description, frameCount, timeOfDay, camera.' || E'\n\n'
                           || 'SCENE: ' || place || E'\n\n'
                           || 'ACTION: ' || name1 || ' ' || verb1 || ' the ' || obj1 || ' ' || adv || '. '
                           || name2 || ' ' || verb2 || ' the ' || obj2 || '.' || E'\n\n'
                           || 'CHARACTER: ' || upper(name1) || E'\nDIALOGUE: ' || dialogue || E'\n\n'
                           || 'CHARACTER: ' || upper(name2) || E'\nDIALOGUE: ' || dialogue2 || E'\n\n\n'
                           || 'Output as a JSON array.'
                       when 'acts' then
                           'Analyze the following scene list and group scenes into acts based on narrative structure '
                           || '(e.g., three-act structure). For each act, provide a JSON object with fields: name '
                           || '(format ACT_X), scenes (array of scene indices). Output as a JSON array.' || E'\n\n'
                           || 'Scene: SCENE_001 - ' || place || E'\n'
                           || 'Scene: SCENE_002 - ' || place2 || E'\n'
                           || 'Scene: SCENE_003 - ' || place3 || ' (' || name1 || ' and ' || name2 || ' '
                           || verb1 || ' the ' || obj1 || ')' || E'\n'
                       when 'console' then
                           'List the characters of ' || scene || ' as a JSON array, then describe how ' || name1
                           || ' ' || verb1 || ' the ' || obj1 || ' ' || adv || ' while ' || name2 || ' '
                           || verb2 || ' the ' || obj2 || ' in ' || place || '. Keep the tone: ' || dialogue
                           || ' Mention what ' || name1 || ' says next: ' || dialogue2
                       else
                           'You returned an invalid JSON. The parser error was:' || E'\n'
                           || 'missing object (offset: ' || (g % 900 + 12) || ').' || E'\n\n'
                           || 'Fix this JSON so that it is valid. If the error is caused by an extra ''{'', remove '
                           || 'it. Preserve the structure as an array of objects.' || E'\n\nBroken JSON:\n```json\n'
                           || E'[\n{\n"name": "SHOT_' || lpad(((g % 40 + 1) * 10)::text, 4, '0') || E'",\n'
                           || '"description": "' || name1 || ' ' || verb1 || ' the ' || obj1 || ' ' || adv
                           || ' in ' || place || E'",\n' || '"dialogue": "' || dialogue || E'"\n```'
                   end as prompt,
                   case typ
                       when 'console' then
                           case when g % 5 = 0 then ''
                                else '["' || upper(name1) || '", "' || upper(name2) || '"] ' || name1 || ' '
                                     || verb2 || ' the ' || obj2 || '.' end
                       when 'acts' then
                           '```json' || E'\n' || '[{"name": "ACT_1", "scenes": [0]}, {"name": "ACT_2", "scenes": [1]}, '
                           || '{"name": "ACT_3", "scenes": [2]}]' || E'\n```'
                       else
                           E'```json\n[\n  {\n    "name": "SHOT_0010",\n    "type": "' || shot || E'",\n'
                           || '    "description": "' || name1 || ' ' || verb1 || ' the ' || obj1 || E'.",\n'
                           || '    "frameCount": ' || (24 + g % 97) || E',\n'
                           || '    "camera": {"movement": "STATIC", "framing": "' || shot || E'"}\n  }\n]\n```'
                   end as response
            from (
                select g, occ, typ, proj, usr, llm, scene, proc_ms, tokens, cost, name1, name2, verb1, verb2,
                       obj1, obj2, adv, shot,
                       ints.pre[1 + (g % 3)::int] || ' ' || upper(place_name) || ' - ' || tod as place,
                       'EXT. ' || upper(v.places[1 + floor(random() * 40)::int]) || ' - DAY' as place2,
                       'INT. ' || upper(v.places[1 + floor(random() * 40)::int]) || ' - NIGHT' as place3,
                       d1.line || '.' as dialogue,
                       d2.line || '?' as dialogue2
                from (
                    select g,
                           t_end - interval '90 days' * (1 - g::float8 / total)
                               + (random() - 0.5) * interval '10 minutes' as occ,
                           (array['shots', 'shots', 'shots', 'shots', 'console', 'console', 'console', 'acts', 'acts',
                                  'shots_repair'])[1 + floor(random() * 10)::int] as typ,
                           'project-' || lpad((1 + floor(random() * 50))::int::text, 2, '0') as proj,
                           1 + floor(random() * 25)::int as usr,
                           (array['llama', 'llama', 'llama', 'qwen2.5-7b', 'gpt-4o-mini'])[1 + floor(random() * 5)::int] as llm,
                           'SCENE_' || lpad((1 + floor(random() * 120))::int::text, 3, '0') as scene,
                           round((200 + random() * 9000)::numeric, 1)::float8 as proc_ms,
                           floor(random() * 4000)::bigint as tokens,
                           round((random() * 0.05)::numeric, 6) as cost,
                           initcap(s[1 + floor(random() * 20)::int] || s[1 + floor(random() * 20)::int]
                                   || s[1 + floor(random() * 20)::int]) as name1,
                           initcap(s[1 + floor(random() * 20)::int] || s[1 + floor(random() * 20)::int]
                                   || s[1 + floor(random() * 20)::int]) as name2,
                           v.verbs[1 + floor(random() * 30)::int] as verb1,
                           v.verbs[1 + floor(random() * 30)::int] as verb2,
                           v.objects[1 + floor(random() * 50)::int] as obj1,
                           v.objects[1 + floor(random() * 50)::int] as obj2,
                           v.adverbs[1 + floor(random() * 20)::int] as adv,
                           v.places[1 + floor(random() * 40)::int] as place_name,
                           (array['NIGHT', 'DAY', 'DAWN', 'DUSK', 'CONTINUOUS'])[1 + floor(random() * 5)::int] as tod,
                           (array['WIDE', 'MEDIUM', 'CLOSE', 'EXTREME CLOSE', 'OVER THE SHOULDER', 'INSERT'])[1 + floor(random() * 6)::int] as shot,
                           1 + floor(random() * 4000)::int as d1_id,
                           1 + floor(random() * 4000)::int as d2_id
                    from generate_series(first, first + n - 1) g,
                         (select array['ka', 'ri', 'mo', 'la', 've', 'to', 'su', 'ne', 'da', 'pi',
                                       'ro', 'ma', 'li', 'se', 'fa', 'go', 'be', 'zu', 'ni', 'ho']) syl(s),
                         vocab v
                ) r
                join dialogue d1 on d1.id = r.d1_id
                join dialogue d2 on d2.id = r.d2_id
                cross join vocab v
                cross join (select array['INT.', 'EXT.', 'INT./EXT.']) ints(pre)
            ) t
        ) b;
        done := done + n;
        k := k + sessions;
        commit;
        raise notice 'rows % to % of % loaded in % s', first, first + n - 1, total,
            round(extract(epoch from clock_timestamp() - t0)::numeric, 1);
    end loop;
end
$load$;
