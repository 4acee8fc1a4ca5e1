package io.stipple.gateway.rest;

import io.stipple.gateway.service.UploadSlots;
import io.stipple.gateway.service.rejection.BusyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Priorities;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admits a large body ({@link TakesUploadSlot}) only with one of the gateway's {@link UploadSlots}, taken after
 * the API key is checked and before the multipart body is read: Quarkus REST reads a form after the request
 * filters, spooling its file parts to disk. When every slot stays busy for {@code uploads.slot-wait}, the
 * request is answered 503 with Retry-After before its body is read. The slot is given back when the response
 * has ended, or the connection closed, whatever happened in between.
 */
public class UploadAdmission {

    private final UploadSlots slots;

    public UploadAdmission(UploadSlots slots) {
        this.slots = slots;
    }

    /** Runs on the worker thread of the blocking resource method, so waiting for a slot blocks no event loop. */
    @TakesUploadSlot
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public void admit(RoutingContext routing) {
        UploadSlots.Slot slot;
        try {
            slot = slots.acquire();
        } catch (BusyException busy) {
            routing.addEndHandler(answered -> discardBody(routing.request()));
            throw busy;
        }
        routing.addEndHandler(ended -> slot.close());
    }

    /**
     * Once the refusal is out, the rest of the body is read and dropped, never stored: a client that reads its
     * answer only after sending the whole body then gets it, and the connection stays usable. Closing instead
     * would reset the connection under a client still sending, and some lost the 503 (3 of 16 JDK clients).
     */
    private static void discardBody(HttpServerRequest request) {
        if (!request.isEnded()) {
            request.handler(dropped -> {
            });
            request.resume();
        }
    }
}
