package io.stipple.gateway.webhook.address;

/** A webhook host that does not resolve (now): unlike an internal address, worth trying again later. */
public class UnresolvableHostException extends WebhookTargetException {

    public UnresolvableHostException(String host) {
        super("has a host that does not resolve: " + host);
    }
}
