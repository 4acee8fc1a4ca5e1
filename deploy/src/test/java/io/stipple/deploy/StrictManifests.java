package io.stipple.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests into the real Kubernetes API types (fabric8's model, generated from the
 * Kubernetes OpenAPI) as strictly as {@code kubectl apply --validate=strict} would: an unknown or
 * misspelt field, a string where the API wants a number or a number where it wants a string, or a
 * kind nobody here has a schema for, is an error naming the document and the field.
 */
final class StrictManifests {

    /** The manifests of one rendering: Kubernetes objects and KEDA ScaledObjects. */
    record Rendered(List<HasMetadata> objects, List<KedaScaledObject> scaledObjects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T named(Class<T> type, String name) {
            return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
        }
    }

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private static final KubernetesSerialization REGISTRY = new KubernetesSerialization();
    private final ObjectMapper strict = strictMapper();

    Rendered read(String yamlStream, String source) {
        List<HasMetadata> objects = new ArrayList<>();
        List<KedaScaledObject> scaledObjects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (JsonNode document : documents(yamlStream, source)) {
            index++;
            String apiVersion = document.path("apiVersion").asText("");
            String kind = document.path("kind").asText("");
            String where = source + " document " + index + " (" + apiVersion + " " + kind + " "
                    + document.path("metadata").path("name").asText("?") + ")";
            try {
                if (KedaScaledObject.API_VERSION.equals(apiVersion) && KedaScaledObject.KIND.equals(kind)) {
                    KedaScaledObject scaledObject = strict.treeToValue(document, KedaScaledObject.class);
                    unknownFields(scaledObject.metadata(), "metadata", problems, where);
                    if (scaledObject.spec().advanced() != null && scaledObject.spec().advanced().horizontalPodAutoscalerConfig() != null) {
                        unknownFields(scaledObject.spec().advanced().horizontalPodAutoscalerConfig().behavior(),
                                "spec.advanced.horizontalPodAutoscalerConfig.behavior", problems, where);
                    }
                    scaledObjects.add(scaledObject);
                    continue;
                }
                Class<? extends KubernetesResource> type = REGISTRY.getRegisteredKubernetesResource(apiVersion, kind);
                if (type == null || !HasMetadata.class.isAssignableFrom(type)) {
                    problems.add(where + ": no schema known for this apiVersion and kind");
                    continue;
                }
                HasMetadata object = (HasMetadata) strict.treeToValue(document, type);
                unknownFields(object, "", problems, where);
                objects.add(object);
            } catch (JsonMappingException e) {
                problems.add(where + ": " + e.getOriginalMessage() + " at " + e.getPathReference());
            } catch (JsonProcessingException e) {
                problems.add(where + ": " + e.getOriginalMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("invalid manifests:\n  " + String.join("\n  ", problems));
        }
        return new Rendered(List.copyOf(objects), List.copyOf(scaledObjects));
    }

    private static List<JsonNode> documents(String yamlStream, String source) {
        try {
            List<JsonNode> documents = new ArrayList<>();
            new YAMLMapper().readerFor(JsonNode.class).readValues(yamlStream)
                    .forEachRemaining(node -> {
                        if (node != null && !((JsonNode) node).isNull()) {
                            documents.add((JsonNode) node);
                        }
                    });
            return documents;
        } catch (IOException e) {
            throw new AssertionError(source + " is not YAML: " + e.getMessage(), e);
        }
    }

    /**
     * fabric8's classes keep unknown fields in an "additional properties" map instead of failing;
     * walks the whole object and reports every such field with its path.
     */
    private static void unknownFields(Object value, String path, List<String> problems, String where) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, where);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, problems, where));
            return;
        }
        if (!value.getClass().getName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object property;
            try {
                property = getter.invoke(value);
            } catch (InvocationTargetException e) {
                // e.g. Quantity.getNumericalAmount() on "2 Gi": the API server would reject it too.
                problems.add(where + ": invalid value at " + path + " (" + e.getCause() + ")");
                continue;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + getter, e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (property instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    problems.add(where + ": unknown field(s) " + unknown.keySet() + " at " + (path.isEmpty() ? "." : path));
                }
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(property, path + "." + name, problems, where);
        }
    }

    /** Unknown fields fail; a scalar of the wrong JSON type fails instead of being converted. */
    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }
}
