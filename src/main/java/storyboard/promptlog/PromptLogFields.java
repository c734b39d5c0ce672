package storyboard.promptlog;

import java.util.List;
import java.util.Set;

/** The fields of a prompt log the server knows by name; any other field is kept in {@code extra}. */
final class PromptLogFields {
    /** Client field name, in the order a stored record is shown. */
    static final List<String> ORDER = List.of(
            "category", "type", "timestamp", "user", "version", "llm", "prompt", "response", "tokens", "cost",
            "context", "userId", "projectId", "sessionId", "correlationId", "environment", "errorDetails",
            "inputSize", "outputSize", "latencyBreakdown", "modelParams");

    static final Set<String> KNOWN = knownFields();

    private static Set<String> knownFields() {
        java.util.HashSet<String> s = new java.util.HashSet<>(ORDER);
        s.add("id");
        return Set.copyOf(s);
    }

    private PromptLogFields() {}
}
