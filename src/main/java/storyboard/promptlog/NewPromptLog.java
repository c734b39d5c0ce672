package storyboard.promptlog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One prompt log as it will be stored: the known fields as typed values, JSON objects as JSON text, everything
 * else the client sent in {@code extraJson}, plus what the server derives for filtering.
 */
record NewPromptLog(
        UUID id,
        String idempotencyKey,
        String clientTimestamp,
        Instant clientTs,
        String category,
        String type,
        String user,
        String version,
        String llm,
        String prompt,
        String response,
        Long tokens,
        BigDecimal cost,
        String contextJson,
        String userId,
        String projectId,
        String sessionId,
        String correlationId,
        String environment,
        String errorDetailsJson,
        Long inputSize,
        Long outputSize,
        String latencyBreakdownJson,
        String modelParamsJson,
        String extraJson,
        String bodySha256,
        String project,
        String sceneId,
        String sceneName,
        Double processingMs) {

    /** The same log attributed to a project (the derived column only: what the client sent stays as sent). */
    NewPromptLog withProject(String attributed) {
        return new NewPromptLog(id, idempotencyKey, clientTimestamp, clientTs, category, type, user, version, llm,
                prompt, response, tokens, cost, contextJson, userId, projectId, sessionId, correlationId, environment,
                errorDetailsJson, inputSize, outputSize, latencyBreakdownJson, modelParamsJson, extraJson,
                bodySha256, attributed, sceneId, sceneName, processingMs);
    }

    NewPromptLog withIdempotencyKey(String key) {
        return new NewPromptLog(id, key, clientTimestamp, clientTs, category, type, user, version, llm, prompt,
                response, tokens, cost, contextJson, userId, projectId, sessionId, correlationId, environment,
                errorDetailsJson, inputSize, outputSize, latencyBreakdownJson, modelParamsJson, extraJson,
                bodySha256, project, sceneId, sceneName, processingMs);
    }
}
