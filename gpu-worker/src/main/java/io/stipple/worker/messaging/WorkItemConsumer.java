package io.stipple.worker.messaging;

import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.worker.service.JobExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes generation work items off Kafka and hands them to the {@link JobExecutor}, returning at
 * once: the offset is committed on receipt, so a job that samples for minutes never holds up the
 * poll loop into a rebalance (and a second execution). Recovery from a worker that dies with a
 * job is the scheduler's lease, which this worker's heartbeats keep alive meanwhile. An unreadable
 * item is logged and skipped: it would fail the same way on every redelivery.
 */
@ApplicationScoped
public class WorkItemConsumer {

    private static final Logger LOG = Logger.getLogger(WorkItemConsumer.class);

    private final JobExecutor executor;

    WorkItemConsumer(JobExecutor executor) {
        this.executor = executor;
    }

    @Incoming(Channels.WORK_GENERATION)
    public void receive(String json) {
        GenerationWorkItem item;
        try {
            item = ContractsJson.read(json, GenerationWorkItem.class);
        } catch (RuntimeException e) {
            LOG.errorf("skipping an unreadable generation work item: %s", e.getMessage());
            return;
        }
        executor.accept(item);
    }
}
