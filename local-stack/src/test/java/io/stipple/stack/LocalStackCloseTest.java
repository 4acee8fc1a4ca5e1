package io.stipple.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Ctrl-C during {@code ./stipple run}'s stack start relies on: {@link LocalStack#close()},
 * called from another thread while {@link LocalStack#launch()} still starts the parts, stops every
 * server launched so far, waits for a launch under way and stops that one too, and launches nothing
 * afterwards. The parts are real OS processes that never become ready (a slow start, frozen).
 */
class LocalStackCloseTest {

    @TempDir
    Path home;

    @Test
    void closingWhileTheStackStartsStopsWhatWasLaunchedAndWhatWasBeingLaunched() throws Exception {
        StackSettings settings = StackSettings.ephemeral(home);
        CountDownLatch prepareMayFinish = new CountDownLatch(1);
        NeverReadyPart launchedAtOnce = new NeverReadyPart(settings, "quick", null);
        NeverReadyPart stillPreparing = new NeverReadyPart(settings, "slow", prepareMayFinish);
        LocalStack stack = LocalStack.of(settings, List.of(launchedAtOnce, stillPreparing));
        CompletableFuture<LocalStack> launch = CompletableFuture.supplyAsync(stack::launch);
        await("the quick part runs").atMost(Duration.ofSeconds(60))
                .until(() -> launchedAtOnce.status().pid().isPresent());

        CompletableFuture<Void> close = CompletableFuture.runAsync(stack::close);
        // The slow part's launch is under way: close waits for it rather than leave its server behind.
        assertThrows(TimeoutException.class, () -> close.get(500, TimeUnit.MILLISECONDS));
        prepareMayFinish.countDown();
        close.get(60, TimeUnit.SECONDS);

        assertEquals(StackPart.State.STOPPED, launchedAtOnce);
        assertEquals(StackPart.State.STOPPED, stillPreparing);
        CompletionException failed = assertThrows(CompletionException.class, launch::join, "a closed stack's launch fails");
        assertTrue(failed.getCause() instanceof StackException, failed.toString());

        assertThrows(StackException.class, stack::launch, "a closed stack launches nothing");
        assertEquals(StackPart.State.STOPPED, launchedAtOnce);
        assertEquals(StackPart.State.STOPPED, stillPreparing);
    }

    private static void assertEquals(StackPart.State expected, NeverReadyPart part) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, part.status().state(), () -> part.status().describe());
    }

    /** A server process ({@code tail -f}) that never answers its probe; its prepare step may be held back. */
    private static final class NeverReadyPart extends StackPart {

        private final Path marker;
        private final CountDownLatch prepareMayFinish;

        NeverReadyPart(StackSettings settings, String name, CountDownLatch prepareMayFinish) {
            super(settings, name, settings.home().resolve(name + ".marker").toString());
            this.marker = settings.home().resolve(name + ".marker");
            this.prepareMayFinish = prepareMayFinish;
        }

        @Override
        protected boolean external() {
            return false;
        }

        @Override
        public String address() {
            return "nowhere";
        }

        @Override
        protected List<Integer> ports() {
            return List.of();
        }

        @Override
        protected void prepare() throws Exception {
            Files.writeString(marker, "");
            if (prepareMayFinish != null) {
                prepareMayFinish.await();
            }
        }

        @Override
        protected List<String> command() {
            // The marker path in the command line is how the part recognises its process (ServerProcess).
            return List.of("tail", "-f", marker.toString());
        }

        @Override
        protected boolean probe() {
            return false;
        }

        @Override
        protected void provision() {
        }
    }
}
