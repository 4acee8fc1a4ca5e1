package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutageTolerantCommitTest {

    /** A channel's copies (SmallRye's concurrency attribute) wait out an outage under the channel's own name. */
    @Test
    void aCopyOfAChannelBelongsToTheChannel() {
        assertEquals("job-events", OutageTolerantCommit.channelOf("job-events$2"));
        assertEquals("job-events", OutageTolerantCommit.channelOf("job-events"));
    }
}
