package storyboard.promptlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.math.BigDecimal;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the client sent, as stored and read back: the fields the server knows by name, as typed values (null: not
 * sent, or sent as another JSON type), JSON objects as JSON text, and everything else in {@code extra}. Serialised
 * under the client's own names, in this order, leaving out what was not sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PromptLogFields(
        String category,
        String type,
        String timestamp,
        String user,
        String version,
        String llm,
        String prompt,
        String response,
        Long tokens,
        BigDecimal cost,
        @JsonRawValue String context,
        String userId,
        String projectId,
        String sessionId,
        String correlationId,
        String environment,
        @JsonRawValue String errorDetails,
        Long inputSize,
        Long outputSize,
        @JsonRawValue String latencyBreakdown,
        @JsonRawValue String modelParams,
        @JsonRawValue String extra) {

    /** The client's field names the server knows: each of the above but {@code extra}, and {@code id}. */
    static final Set<String> KNOWN = Stream.concat(
                    Arrays.stream(PromptLogFields.class.getRecordComponents()).map(RecordComponent::getName)
                            .filter(name -> !name.equals("extra")),
                    Stream.of("id"))
            .collect(Collectors.toUnmodifiableSet());
}
