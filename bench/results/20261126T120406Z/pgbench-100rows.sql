-- pgbench script: 100 rows per transaction in one multi-row INSERT, as step 1's row.
insert into prompt_log (id, received_at, occurred_at, client_timestamp, category, type, user_name,
    version, llm, prompt, response, tokens, cost, context, body_sha256, scene_id, scene_name, project, project_id)
values
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null),
(gen_random_uuid(), now(), '2025-09-21T20:12:03Z'::timestamptz, '2025-09-21T20:12:03Z', 'Text', 'shots', 'default_user', '1.0', 'llama', 'Analyze the following script excerpt and break it into shots. For each shot, provide a JSON object with the following fields:

- name (format SHOT_XXXX, increment by 10)
[... rest of the fixed shot-breakdown template ...]

SCENE: INT. KITCHEN - NIGHT

ACTION: Mara slams the fridge door.

CHARACTER: MARA
DIALOGUE: You said you''d call.


Output as a JSON array.', '```json
[
  {
    "name": "SHOT_0010",
    "type": "WIDE",
    "description": "Mara slams the fridge door.",
    "frameCount": 48,
    "timeOfDay": "NIGHT",
    "camera": {"movement": "STATIC", "framing": "WIDE ANGLE"}
  }
]
```', '0'::bigint, '0'::numeric, '{"sceneId":"","sceneName":"SCENE_001"}'::jsonb, '866ad372b4c3dbfed5b1940438bc556276e850c444256ff64dadda74b1a7a42a', '', 'SCENE_001', null, null);
