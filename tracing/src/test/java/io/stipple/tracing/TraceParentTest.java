package io.stipple.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

class TraceParentTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN_ID = "00f067aa0ba902b7";

    @Test
    void aStoredTraceParentContinuesTheSameTraceAsARemoteParent() {
        Context restored = TraceParent.context("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        SpanContext parent = Span.fromContext(restored).getSpanContext();
        assertTrue(parent.isValid());
        assertTrue(parent.isRemote());
        assertTrue(parent.isSampled());
        assertEquals(TRACE_ID, parent.getTraceId());
        assertEquals(SPAN_ID, parent.getSpanId());
    }

    @Test
    void theCurrentSpanIsWrittenInW3cFormatWithItsSampledFlag() {
        SpanContext notSampled = SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getDefault(), TraceState.getDefault());
        try (Scope ignored = Context.root().with(Span.wrap(notSampled)).makeCurrent()) {
            assertEquals("00-" + TRACE_ID + "-" + SPAN_ID + "-00", TraceParent.current());
        }
    }

    @Test
    void withoutASpanThereIsNothingToStoreAndNothingToContinue() {
        assertNull(TraceParent.of(Context.root()));
        assertFalse(Span.fromContext(TraceParent.context(null)).getSpanContext().isValid());
        assertFalse(Span.fromContext(TraceParent.context("not-a-traceparent")).getSpanContext().isValid());
        assertFalse(Span.fromContext(TraceParent.context("00-" + "0".repeat(32) + "-" + SPAN_ID + "-01"))
                .getSpanContext().isValid());
    }

    @Test
    void attachingAStoredTraceMakesItCurrentUntilClosedAndNothingLeavesTheCurrentOne() {
        String stored = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
        try (Scope ignored = TraceParent.attach(stored)) {
            assertEquals(stored, TraceParent.current());
            try (Scope none = TraceParent.attach(null)) {
                assertEquals(stored, TraceParent.current());
            }
        }
        assertNull(TraceParent.current());
    }
}
