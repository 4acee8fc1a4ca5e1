package io.stipple.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's trace where the job waits outside any span: stored as the W3C {@code traceparent} string
 * (the gateway's outbox row, the scheduler's job row) and turned back into the OpenTelemetry context
 * the next message continues, so one job is one trace from its HTTP submission to its last event.
 */
public final class TraceParent {

    /** The W3C header name, also what Kafka records carry. */
    public static final String HEADER = "traceparent";

    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceParent) {
            return List.of(HEADER);
        }

        @Override
        public String get(String traceParent, String key) {
            return HEADER.equals(key) ? traceParent : null;
        }
    };

    private TraceParent() {
    }

    /** The current span's traceparent, or null when no span is current (nothing to continue). */
    public static String current() {
        return of(Context.current());
    }

    /** The traceparent of the context's span, or null when it has none. */
    public static String of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.get(HEADER);
    }

    /**
     * The context whose (remote) parent span is the stored one; the root context when nothing was
     * stored or the string is not a valid traceparent, so the caller starts a new trace.
     */
    public static Context context(String traceParent) {
        if (traceParent == null || traceParent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceParent, STORED);
    }

    /**
     * Makes the stored trace current on this thread until the scope is closed (log lines written
     * meanwhile carry its trace id); with nothing stored, the current context stays as it is.
     */
    public static Scope attach(String traceParent) {
        return traceParent == null ? Scope.noop() : context(traceParent).makeCurrent();
    }
}
