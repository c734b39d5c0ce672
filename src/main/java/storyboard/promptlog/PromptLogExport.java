package storyboard.promptlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import storyboard.kernel.Json;

/** The export's formats: each log as a line of JSON, as read one by one, or as a CSV row. */
final class PromptLogExport {
    static final Set<String> FORMATS = Set.of("csv", "jsonl");

    private PromptLogExport() {}

    /** A column of the CSV export: its header and its value in a log. */
    private record CsvColumn(String name, Function<PromptLog, Object> value) {}

    private static final List<CsvColumn> CSV_COLUMNS = List.of(
            new CsvColumn("id", PromptLog::id),
            new CsvColumn("received_at", PromptLog::receivedAt),
            sent("timestamp", PromptLogFields::timestamp),
            sent("category", PromptLogFields::category),
            sent("type", PromptLogFields::type),
            sent("user", PromptLogFields::user),
            sent("version", PromptLogFields::version),
            sent("llm", PromptLogFields::llm),
            sent("tokens", PromptLogFields::tokens),
            sent("cost", PromptLogFields::cost),
            sent("userId", PromptLogFields::userId),
            sent("projectId", PromptLogFields::projectId),
            sent("sessionId", PromptLogFields::sessionId),
            sent("correlationId", PromptLogFields::correlationId),
            sent("environment", PromptLogFields::environment),
            sent("inputSize", PromptLogFields::inputSize),
            sent("outputSize", PromptLogFields::outputSize),
            sent("prompt", PromptLogFields::prompt),
            sent("response", PromptLogFields::response),
            sent("context", PromptLogFields::context),
            sent("errorDetails", PromptLogFields::errorDetails),
            sent("latencyBreakdown", PromptLogFields::latencyBreakdown),
            sent("modelParams", PromptLogFields::modelParams),
            sent("extra", PromptLogFields::extra),
            new CsvColumn("body_sha256", PromptLog::bodySha256));

    private static CsvColumn sent(String name, Function<PromptLogFields, Object> value) {
        return new CsvColumn(name, log -> value.apply(log.sent()));
    }

    static String contentType(String format) {
        return format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
    }

    /** What writes each log it is given to {@code out} in {@code format} (the CSV header first, right away). */
    static Consumer<PromptLog> to(String format, Writer out) throws IOException {
        if (format.equals("jsonl")) {
            return log -> unchecked(() -> {
                out.write(Json.MAPPER.writeValueAsString(log));
                out.write('\n');
            });
        }
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                .setHeader(CSV_COLUMNS.stream().map(CsvColumn::name).toArray(String[]::new)).get());
        return log -> unchecked(() -> {
            for (CsvColumn column : CSV_COLUMNS) csv.print(csvValue(column.value().apply(log)));
            csv.println();
        });
    }

    private static String csvValue(Object v) {
        if (v == null) return "";
        if (v instanceof BigDecimal d) return d.toPlainString();
        return v.toString();
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void unchecked(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
