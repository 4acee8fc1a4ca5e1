package io.stipple.worker.messaging;

import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.JobControl;
import io.stipple.worker.service.JobExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Control messages for held jobs. Every worker reads every control message (its own consumer
 * group, see application.properties), since only the worker holding the attempt knows it.
 */
@ApplicationScoped
public class ControlConsumer {

    private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

    private final JobExecutor executor;

    ControlConsumer(JobExecutor executor) {
        this.executor = executor;
    }

    @Incoming(Channels.JOBS_CONTROL)
    public void receive(String json) {
        JobControl control;
        try {
            control = ContractsJson.read(json, JobControl.class);
        } catch (RuntimeException e) {
            LOG.errorf("skipping an unreadable control message: %s", e.getMessage());
            return;
        }
        if (control.action() == ControlAction.CANCEL) {
            executor.cancel(control.jobId(), control.attempt(), control.reason());
        }
    }
}
