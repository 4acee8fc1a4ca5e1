package io.stipple.storage;

/**
 * The key layout of the bucket (docs/architecture.md):
 * <ul>
 *   <li>{@code results/{tenant}/{job}/{index}.png}: generated images, each with a JSON sidecar
 *       {@code {index}.json} holding its generation parameters;</li>
 *   <li>{@code previews/{tenant}/{job}/preview.png}: the latest preview of a running job;</li>
 *   <li>{@code uploads/{tenant}/{upload}/{file}}: instance images uploaded for fine-tuning;</li>
 *   <li>{@code models/{model}/{version}/{file}}: a model version's SavedModel, config and metrics.</li>
 * </ul>
 * Every segment is checked, so a tenant or file name can never reach outside its own prefix.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    /** The PNG of image {@code index} (0-based) of a generation job; deterministic, so a retried job overwrites. */
    public static String result(String tenant, String job, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("image index must be >= 0, was " + index);
        }
        return resultsPrefix(tenant, job) + index + ".png";
    }

    /** The JSON sidecar of image {@code index}: its generation parameters, beside its PNG. */
    public static String resultSidecar(String tenant, String job, int index) {
        String png = result(tenant, job, index);
        return png.substring(0, png.length() - ".png".length()) + ".json";
    }

    /** Every image of one job. */
    public static String resultsPrefix(String tenant, String job) {
        return "results/" + segment("tenant", tenant) + "/" + segment("job", job) + "/";
    }

    /**
     * The latest preview of a running generation job (its first image's predicted clean sample);
     * overwritten as sampling goes on, kept apart from the results.
     */
    public static String preview(String tenant, String job) {
        return "previews/" + segment("tenant", tenant) + "/" + segment("job", job) + "/preview.png";
    }

    public static String upload(String tenant, String upload, String file) {
        return uploadPrefix(tenant, upload) + path("file", file);
    }

    /** Every file of one upload. */
    public static String uploadPrefix(String tenant, String upload) {
        return "uploads/" + segment("tenant", tenant) + "/" + segment("upload", upload) + "/";
    }

    /** The file a tenant uploaded to import as a model, kept until the import job has read it. */
    public static String importUpload(String tenant, String upload) {
        return "imports/" + segment("tenant", tenant) + "/" + segment("upload", upload) + "/upload";
    }

    /** A file of a model version; {@code file} may have folders ({@code saved_model/variables/variables.index}). */
    public static String model(String model, String version, String file) {
        return modelPrefix(model, version) + path("file", file);
    }

    /** Everything of one model version. */
    public static String modelPrefix(String model, String version) {
        return "models/" + segment("model", model) + "/" + segment("version", version) + "/";
    }

    /** One path segment: not empty, no slash, not {@code .} or {@code ..}, no control characters. */
    static String segment(String what, String value) {
        if (value == null || value.isEmpty() || value.equals(".") || value.equals("..") || value.indexOf('/') >= 0
                || value.indexOf('\\') >= 0 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("invalid " + what + " for an object key: '" + value + "'");
        }
        return value;
    }

    /** A relative path of valid segments. */
    static String path(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " for an object key: '" + value + "'");
        }
        for (String part : value.split("/", -1)) {
            segment(what, part);
        }
        return value;
    }
}
