package io.stipple.gateway.config;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns off HTTP/2 over cleartext (h2c) on the gateway's plain HTTP port, the {@code Upgrade: h2c} handshake
 * and prior knowledge alike; such clients (the JDK's HttpClient asks for the upgrade by default) are answered in
 * HTTP/1.1. Vert.x performs an upgrade with the request's body in flight by turning the HTTP/1.1 body into
 * HTTP/2 data frames as fast as the socket delivers them, with no flow control on that first stream: the whole
 * body lands in the heap whatever the application reads. Twenty concurrent 80 MB uploads sent that way ran a
 * 256 MB gateway out of heap. {@code quarkus.http.http2=false} keeps HTTP/2 out of TLS (ALPN) but leaves Vert.x's
 * cleartext upgrade on, hence this customizer.
 */
@ApplicationScoped
public class NoCleartextHttp2 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
