package io.stipple.scheduler.service;

import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.repository.JobEventEntity;
import java.util.ArrayList;
import java.util.List;

/**
 * What one transaction's changes leave beyond the job rows, gathered as the lifecycle makes them (each taken
 * from the job as that change left it): the event log lines and the messages to send, in the order of the
 * changes. {@link TransitionRecorder#store} writes both with one statement, however many inputs and jobs the
 * transaction took.
 */
public final class Transitions {

    final List<JobEventEntity> events = new ArrayList<>();
    final Publication publication = Publication.empty();
}
