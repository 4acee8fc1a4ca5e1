package io.stipple.cli;

/** The gateway did not answer in time. */
final class GatewayUnreachableException extends RuntimeException {

    GatewayUnreachableException(String message) {
        super(message);
    }
}
