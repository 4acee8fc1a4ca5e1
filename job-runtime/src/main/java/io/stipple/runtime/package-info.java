/**
 * What every job-running service (gpu-worker, trainer-service) does around its own work.
 *
 * <ul>
 *   <li>{@link io.stipple.runtime.JobExecutor}: the service's {@code @Incoming} work-channel method
 *       returns {@code receive(json)}'s stage; the item is acknowledged once it is held (at once
 *       unless {@code stipple.runtime.max-held-jobs} are held already), and run by the service's
 *       {@link io.stipple.runtime.JobRunner} on a pool thread.</li>
 *   <li>{@link io.stipple.runtime.HeldJobs} (bean): held attempts, heartbeats at each item's
 *       interval until {@code release}, cancels (also ones that arrive before their item).</li>
 *   <li>{@link io.stipple.runtime.JobReporter} (bean): running / progress / heartbeat / succeeded /
 *       failed / canceled, numbered 1, 2, ... per attempt, silent after the terminal one.</li>
 *   <li>{@link io.stipple.runtime.ControlConsumer} and {@link io.stipple.runtime.EventPublisher}
 *       (beans) on the channels named in {@link io.stipple.runtime.RuntimeChannels}, which the
 *       service configures; {@link io.stipple.runtime.WorkerIdentity} names the process.</li>
 * </ul>
 *
 * A runner checks {@link io.stipple.runtime.HeldJob#canceled()} between steps and ends with exactly
 * one terminal report. Settings: {@link io.stipple.runtime.RuntimeConfig} ({@code stipple.runtime.*}).
 */
package io.stipple.runtime;
