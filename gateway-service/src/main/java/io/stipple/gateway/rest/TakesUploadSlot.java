package io.stipple.gateway.rest;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method whose request body is large (a multipart upload or model import): {@link UploadAdmission}
 * takes one of the gateway's upload slots for it before the body is read. The method must be {@code @Blocking}, so
 * that the wait for a slot happens on a worker thread.
 */
@NameBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface TakesUploadSlot {
}
