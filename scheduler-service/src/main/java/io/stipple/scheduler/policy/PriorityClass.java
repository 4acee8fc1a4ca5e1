package io.stipple.scheduler.policy;

/**
 * Priority classes, served strictly in declaration order: a waiting job of an earlier class is
 * always dispatched before any job of a later one. Fairness between tenants applies within a class.
 */
public enum PriorityClass {
    HIGH, NORMAL, LOW
}
