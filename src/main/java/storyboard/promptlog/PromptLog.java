package storyboard.promptlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * A stored log as clients read it: the server's facts, then what the client sent under its own names (jsonb
 * passed through as PostgreSQL prints it, which is valid JSON), then the body's hash.
 */
record PromptLog(
        UUID id,
        @JsonProperty("received_at") Instant receivedAt,
        @JsonUnwrapped PromptLogFields sent,
        @JsonProperty("body_sha256") String bodySha256) {

    /** The log in the current row of {@code rs} (a {@code select *} of prompt_log). */
    static PromptLog of(ResultSet rs) throws SQLException {
        return new PromptLog(
                rs.getObject("id", UUID.class),
                rs.getObject("received_at", OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MICROS),
                new PromptLogFields(
                        rs.getString("category"),
                        rs.getString("type"),
                        rs.getString("client_timestamp"),
                        rs.getString("user_name"),
                        rs.getString("version"),
                        rs.getString("llm"),
                        rs.getString("prompt"),
                        rs.getString("response"),
                        rs.getObject("tokens", Long.class),
                        rs.getBigDecimal("cost"),
                        rs.getString("context"),
                        rs.getString("user_id"),
                        rs.getString("project_id"),
                        rs.getString("session_id"),
                        rs.getString("correlation_id"),
                        rs.getString("environment"),
                        rs.getString("error_details"),
                        rs.getObject("input_size", Long.class),
                        rs.getObject("output_size", Long.class),
                        rs.getString("latency_breakdown"),
                        rs.getString("model_params"),
                        rs.getString("extra")),
                rs.getString("body_sha256"));
    }
}
