package io.stipple.runtime;

import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.JobControl;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Control messages for held jobs. Every process reads every control message (a consumer group of
 * its own, see {@link RuntimeChannels}), since only the process holding the attempt knows it.
 */
@ApplicationScoped
public class ControlConsumer {

    private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

    private final HeldJobs held;

    ControlConsumer(HeldJobs held) {
        this.held = held;
    }

    @Incoming(RuntimeChannels.JOBS_CONTROL)
    public void receive(String json) {
        JobControl control;
        try {
            control = ContractsJson.read(json, JobControl.class);
        } catch (RuntimeException e) {
            LOG.errorf("skipping an unreadable control message: %s", e.getMessage());
            return;
        }
        if (control.action() == ControlAction.CANCEL) {
            held.cancel(control.jobId(), control.attempt(), control.reason());
        }
    }
}
