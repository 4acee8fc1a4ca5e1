package io.stipple.gateway.service;

import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.stipple.gateway.repository.JobEventListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;

class JobWakeupTest {

    private static final Duration LONG = Duration.ofHours(1);

    private final JobWakeup wakeup = new JobWakeup(closed -> { });

    @Test
    void anEventTheReadReturnedWakesNoWaitButANewerOneDoes() {
        wakeup.arm();
        wakeup.wake(5); // announced in-process, then by its notification, while the read that returns it runs
        wakeup.wake(5);
        UniAssertSubscriber<Void> waiting = wakeup.await(5, LONG).subscribe().withSubscriber(UniAssertSubscriber.create());
        waiting.assertNotTerminated();
        wakeup.wake(5); // a late notification of the same event
        waiting.assertNotTerminated();
        wakeup.wake(6);
        waiting.assertCompleted();
    }

    @Test
    void anEventAnnouncedDuringTheReadButNotReturnedByItEndsTheWaitAtOnce() {
        wakeup.arm();
        wakeup.wake(7); // committed after the read's snapshot
        wakeup.await(5, LONG).subscribe().withSubscriber(UniAssertSubscriber.create()).assertCompleted();
    }

    @Test
    void aWakeUpWithoutAnEventIdAlwaysCounts() {
        wakeup.arm();
        UniAssertSubscriber<Void> waiting = wakeup.await(5, LONG).subscribe().withSubscriber(UniAssertSubscriber.create());
        wakeup.wake(JobEventListener.UNKNOWN_EVENT); // the listener reconnected, or an older gateway's notification
        waiting.assertCompleted();
    }

    @Test
    void whatWasAnnouncedBeforeTheArmingCountsNoMore() {
        wakeup.wake(9);
        wakeup.arm(); // the read that follows returns event 9
        wakeup.await(9, LONG).subscribe().withSubscriber(UniAssertSubscriber.create()).assertNotTerminated();
    }
}
