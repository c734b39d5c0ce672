package storyboard.promptlog;

import java.time.Instant;
import java.util.UUID;

/**
 * One prompt log as it will be stored: what the client sent, its client time parsed, plus what the server derives
 * for filtering (project, scene, processing time).
 */
record NewPromptLog(
        UUID id,
        String idempotencyKey,
        Instant clientTs,
        PromptLogFields sent,
        String bodySha256,
        String project,
        String sceneId,
        String sceneName,
        Double processingMs) {

    /** The same log attributed to a project (the derived column only: what the client sent stays as sent). */
    NewPromptLog withProject(String attributed) {
        return new NewPromptLog(id, idempotencyKey, clientTs, sent, bodySha256, attributed, sceneId, sceneName,
                processingMs);
    }

    NewPromptLog withIdempotencyKey(String key) {
        return new NewPromptLog(id, key, clientTs, sent, bodySha256, project, sceneId, sceneName, processingMs);
    }
}
