package io.stipple.gateway.webhook.address;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The shape a webhook URL must have, checked the same way where it is accepted and where it is called
 * (both in the gateway, at submission and at each delivery): an absolute http or https URI that {@link URI} parses as a
 * server address (a host, a port in range), without user information.
 */
public final class WebhookUrls {

    private WebhookUrls() {
    }

    /** The parsed URL; throws {@link WebhookTargetException} saying what is wrong with it. */
    public static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url).parseServerAuthority();
        } catch (URISyntaxException e) {
            throw new WebhookTargetException("is not a parseable URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new WebhookTargetException("must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new WebhookTargetException("has no host");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new WebhookTargetException("has a port out of range: " + uri.getPort());
        }
        if (uri.getRawUserInfo() != null) {
            throw new WebhookTargetException("must not carry user information (credentials belong in the receiver's check of the signature)");
        }
        return uri;
    }

    /** The port the URL names, or its scheme's default. */
    public static int port(URI url) {
        if (url.getPort() >= 0) {
            return url.getPort();
        }
        return url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The host without IPv6 brackets, as a resolver takes it. */
    public static String host(URI url) {
        String host = url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
