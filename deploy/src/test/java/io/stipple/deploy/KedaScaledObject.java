package io.stipple.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;

/**
 * KEDA's {@code keda.sh/v1alpha1 ScaledObject}, the fields of its CRD that Stipple may use (KEDA
 * 2.12+ documentation, "ScaledObject specification"). Read with unknown properties failing, so a
 * misspelt field fails here instead of being pruned silently by the API server.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record KedaScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    static final String API_VERSION = "keda.sh/v1alpha1";
    static final String KIND = "ScaledObject";

    @JsonIgnoreProperties(ignoreUnknown = false)
    record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
            Integer initialCooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount,
            Integer maxReplicaCount, Advanced advanced, Fallback fallback, List<Trigger> triggers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record Advanced(Boolean restoreToOriginalReplicaCount, HpaConfig horizontalPodAutoscalerConfig) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record Fallback(Integer failureThreshold, Integer replicas) {
    }

    /** KEDA trigger metadata is a map of strings: an unquoted number is rejected by the API server. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Trigger(String type, String name, String metricType, Boolean useCachedMetrics,
            Map<String, String> metadata, AuthenticationRef authenticationRef) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record AuthenticationRef(String name, String kind) {
    }
}
