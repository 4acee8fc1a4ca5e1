package io.stipple.gateway.webhook.address;

/** A webhook URL that may not be called: unparseable, of another scheme, or pointing at an internal address. */
public class WebhookTargetException extends IllegalArgumentException {

    public WebhookTargetException(String message) {
        super(message);
    }
}
