package io.stipple.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the gateway, under {@code stipple.gateway}. */
@ConfigMapping(prefix = "stipple.gateway")
public interface GatewayConfig {

    /** The model version a generation uses when the request names none ({@code name@version}). */
    @WithDefault("stipple-base-16@6")
    String defaultModel();

    /** Model versions that ship with Stipple; every tenant may name them (GET /v1/models lists them first). */
    @WithDefault("stipple-base-16@6,stipple-base-16@5,stipple-base-16@3,stipple-base-16@2")
    List<String> bundledModels();

    /**
     * Labels classifier guidance may name: the values of the bundled guidance classifier's
     * attributes (shape, colour, size, position, background; docs/models.md). A worker with another
     * classifier needs its labels listed here.
     */
    @WithDefault("circle,square,triangle,star,ring,diamond,cross,red,orange,yellow,green,cyan,blue,purple,pink,"
            + "small,large,top left,top,top right,left,center,right,bottom left,bottom,bottom right,"
            + "black,white,gray,brown")
    List<String> classifierLabels();

    /**
     * The address clients reach the API at (e.g. {@code https://stipple.example.com}), used for the
     * {@code Location} of accepted jobs. Unset: {@code Location} is a path without scheme and host. Never
     * taken from the request's {@code Host} header, which the client chooses.
     */
    Optional<URI> publicBaseUrl();

    Webhooks webhooks();

    Outbox outbox();

    EventStreams eventStreams();

    Submissions submissions();

    /** Writing accepted jobs (see {@code SubmissionBatcher}). */
    interface Submissions {

        /**
         * Submissions stored by one statement at most: those that arrived while the previous statement
         * was in flight, written and committed together.
         */
        @WithDefault("64")
        int maxBatch();
    }

    Limits limits();

    Uploads uploads();

    /** Model imports ({@code POST /v1/models/imports}, docs/importing-models.md). */
    Imports imports();

    interface Imports {
        /**
         * Largest file an import accepts, in bytes. The multipart body is also bounded by
         * {@code quarkus.http.limits.max-body-size}: raise both for multi-gigabyte checkpoints.
         */
        @WithDefault("94371840")
        long maxBytes();
    }

    Bootstrap bootstrap();

    ApiKeyCache apiKeyCache();

    /**
     * Stored API keys remembered by prefix, so a request is authenticated without a database lookup
     * (the presented key is still hashed and compared each time; see {@code ApiKeyLookup}).
     */
    interface ApiKeyCache {

        /**
         * How long a key's row is used before it is read again: a key revoked, or a tenant's job limit
         * changed, in the database takes effect on every replica within this time. 0 turns the cache off.
         */
        @WithDefault("5s")
        Duration ttl();

        /** Keys remembered at most (least recently used go first); only keys that exist are remembered. */
        @WithDefault("10000")
        int maxKeys();
    }

    /** A tenant with a known key created at start, for local runs only (see {@code BootstrapTenant}). */
    interface Bootstrap {

        /** Tenant id; unset: nothing is created. */
        Optional<String> tenant();

        /** Its API key, {@code stp_<12 hex digits>_<secret>}; unset: nothing is created. */
        Optional<String> apiKey();

        /**
         * More tenants with known keys, tenant id to API key ({@code stipple.gateway.bootstrap.more-tenants.<id>=<key>}):
         * a test stack with tenants routed to different worker pools.
         */
        Map<String, String> moreTenants();
    }

    /**
     * Webhook notifications: the check of their URL at submission, and their delivery ({@code webhook/WebhookSender}),
     * signing and rotation of the tenants' secrets.
     */
    interface Webhooks {

        /**
         * Internal receivers webhooks may call anyway: CIDR blocks ({@code 10.20.0.0/16}), addresses or host
         * names. Unset: public addresses only; loopback, link-local (cloud metadata), private, unique-local and
         * multicast addresses are refused at submission and again at each delivery.
         */
        Optional<List<String>> allowList();

        /**
         * Signing secret in Standard Webhooks form ({@code whsec_} + base64 of the key), key id {@code service}:
         * signs the notifications of tenants that have no secret of their own yet ({@code create-tenant} and
         * {@code rotate-webhook-secret} issue one).
         */
        String signingSecret();

        /** How long a tenant's previous secret keeps signing (next to the new one) after a rotation. */
        @WithDefault("24h")
        Duration rotationGrace();

        /** Notifications of one tenant in flight at once, so a tenant's unanswering endpoint holds only its own. */
        @WithDefault("2")
        int perTenantInFlight();

        /** Notifications in flight at once, over all tenants (per gateway replica). */
        @WithDefault("32")
        int maxInFlight();

        /** Delivery attempts before a notification is given up. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait after the first failed attempt; doubles after each further one (jittered: a random point in its upper half). */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** How long one POST may take. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** How often due notifications are sent. */
        @WithDefault("1s")
        Duration period();

        /** Most notifications claimed per round. */
        @WithDefault("32")
        int batchSize();
    }

    /** Relay of outbox rows to Kafka. */
    interface Outbox {

        /** How often the relay looks for unsent rows (left by a Kafka outage, a crash or another replica); a writer sends its own rows right after its commit. */
        @WithDefault("1s")
        Duration pollInterval();

        /**
         * Rows claimed and published per round at most. A round takes what is unsent, so a lone row goes at
         * once; a larger batch only matters while a backlog lasts (fewer claims and commits per row).
         */
        @WithDefault("500")
        int batchSize();

        /**
         * Rounds at once while a backlog lasts: the next round claims while this one publishes (each round
         * holds a pooled connection meanwhile). 1 is one round after the other.
         */
        @WithDefault("2")
        int roundsInFlight();

        /** How long one publish may wait for Kafka's acknowledgement before the round gives up (rows stay unsent). */
        @WithDefault("10s")
        Duration sendTimeout();

        /**
         * How long a timed round leaves a row that its writer sends itself right after its commit
         * ({@code AfterCommitSender}) before claiming it: that send may still be in flight in another replica.
         * Longer than {@link #sendTimeout()}, so such a send has ended (acknowledged, or failed) by then. A row
         * whose direct send failed is claimed at once; a row that follows another one of its job at once too
         * (its writer leaves it to the relay).
         */
        @WithDefault("15s")
        Duration directSendGrace();

        /**
         * The rows its writer sent and Kafka acknowledged are marked sent by the next submission statement (its
         * commit, not one of their own); when none starts within this long, one statement of their own marks them
         * all ({@code AfterCommitSender}). Marked by statements of their own as they came, they were as many
         * commits as the submission statements', beside the commits every request waits for (docs/benchmarks.md
         * section 4). Only a row that follows one of these waits for the mark (a cancel right after its
         * submission), for at most this long more.
         */
        @WithDefault("20ms")
        Duration markLinger();

        /** How long a sent row is kept (to see what was published when) before the cleanup deletes it. */
        @WithDefault("24h")
        Duration retention();

        /** How often sent rows older than {@link #retention()} are deleted. */
        @WithDefault("10m")
        Duration cleanupInterval();

        /** Rows deleted per statement, so one cleanup never holds a long lock or a large transaction. */
        @WithDefault("5000")
        int cleanupBatchSize();

        /** How often the pending-rows gauge is recounted. */
        @WithDefault("15s")
        Duration pendingGaugeInterval();
    }

    /** {@code GET /v1/jobs/{id}/events}: a stream reads its job's log again when an event commits (LISTEN/NOTIFY). */
    interface EventStreams {

        /**
         * How long a stream waits for a notification before it reads the log anyway: the safety net for a
         * notification that cannot arrive (the listening connection lost, or a pooler that does not pass LISTEN).
         */
        @WithDefault("1s")
        Duration safetyPoll();
    }

    /** Per-tenant protection, answered with 429 and Retry-After. */
    interface Limits {

        /** Largest JSON request body, in bytes. */
        @WithDefault("65536")
        int maxJsonBodyBytes();

        /** Requests per minute a tenant may make (token bucket refilled continuously). */
        @WithDefault("600")
        int requestsPerMinute();

        /** Burst size of the request bucket. */
        @WithDefault("60")
        int requestBurst();

        /** Jobs a tenant may have submitted, queued or running at once (unless the tenant row says otherwise). */
        @WithDefault("8")
        int maxActiveJobs();
    }

    /** Images posted to {@code /v1/uploads}. */
    interface Uploads {

        /** Largest file, in bytes. */
        @WithDefault("8388608")
        int maxBytes();

        /** Largest width x height; checked from the header before any pixel is decoded (decompression bombs). */
        @WithDefault("4194304")
        long maxPixels();

        /** Lifetime of presigned result URLs. */
        @WithDefault("15m")
        Duration presignTtl();

        /**
         * Uploads and model imports taken in at once, per replica: a slot is taken before the body is read and
         * held until the response has ended (each holds one decoded image and one object-store part in the heap
         * at a time, and its spooled body on disk); further ones wait up to {@link #slotWait()}, then get 503
         * with Retry-After, their bodies unread.
         */
        @WithDefault("4")
        int maxConcurrent();

        /** How long an upload waits for one of the {@link #maxConcurrent()} slots before it is refused. */
        @WithDefault("2s")
        Duration slotWait();
    }
}
