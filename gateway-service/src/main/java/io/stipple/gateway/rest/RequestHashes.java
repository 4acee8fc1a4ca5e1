package io.stipple.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fingerprints a request body for Idempotency-Key checks: SHA-256 of the parsed request written
 * back as JSON, so whitespace and field order do not make "the same body" different.
 */
@ApplicationScoped
public class RequestHashes {

    private final ObjectMapper json;

    public RequestHashes(ObjectMapper json) {
        this.json = json;
    }

    public byte[] of(Object request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(request));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint " + request.getClass().getSimpleName(), e);
        }
    }
}
