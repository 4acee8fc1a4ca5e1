package io.stipple.stack.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a user gets into the gateway {@code ./stipple run} starts: the gateway's extra settings, the API
 * key to show, and what to tell the user about it. Three cases:
 * <ul>
 *   <li>the user's own bootstrap key ({@value #OWN_KEY_ENV}, passed to the gateway through the
 *       environment it inherits): shown as it is;</li>
 *   <li>by default, a development tenant with a fixed key ({@link #DEVELOPMENT_KEY}). That key is
 *       published in the README, so anyone who reaches the gateway could use it: it is only given
 *       while the gateway listens on a loopback address;</li>
 *   <li>{@code --no-dev-key}: no key; the user is told how to create one.</li>
 * </ul>
 */
record GatewayAccess(Map<String, String> gatewayConfig, Optional<String> apiKey, List<String> notice) {

    static final String OWN_KEY_ENV = "STIPPLE_GATEWAY_BOOTSTRAP_API_KEY";
    static final String DEVELOPMENT_TENANT = "dev";
    /** Public and fixed, for local development only (README); {@code stp_<12 hex>_<secret>} like every key. */
    static final String DEVELOPMENT_KEY = "stp_000000010ca1_local-development-only";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

    GatewayAccess {
        gatewayConfig = Map.copyOf(gatewayConfig);
        notice = List.copyOf(notice);
    }

    /**
     * @param environment     the launcher's environment, which the gateway inherits
     * @param developmentKey  false for {@code --no-dev-key}
     * @param host            the address the gateway listens on
     * @throws IllegalArgumentException for the development key on an address other machines reach
     */
    static GatewayAccess choose(Map<String, String> environment, boolean developmentKey, String host) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.host", host);
        Optional<String> ownKey = Optional.ofNullable(environment.get(OWN_KEY_ENV)).filter(k -> !k.isBlank());
        if (ownKey.isPresent()) {
            return new GatewayAccess(config, ownKey, reachableWarning(host));
        }
        if (!developmentKey) {
            List<String> notice = new ArrayList<>(List.of(
                    "No API key was set up by this run: create a tenant and key with the gateway's create-tenant command"
                            + " (docs/gateway.md), or run without --no-dev-key to get the local development key."));
            notice.addAll(reachableWarning(host));
            return new GatewayAccess(config, Optional.empty(), notice);
        }
        if (!LOOPBACK.contains(host)) {
            throw new IllegalArgumentException("the development API key is public (README), so the gateway gets it only"
                    + " while it listens on 127.0.0.1; with --gateway-host " + host + " set your own key in " + OWN_KEY_ENV
                    + " (with STIPPLE_GATEWAY_BOOTSTRAP_TENANT) or pass --no-dev-key, and use a fresh STIPPLE_HOME:"
                    + " a development key of an earlier run stays valid in that state directory's database");
        }
        config.put("stipple.gateway.bootstrap.tenant", DEVELOPMENT_TENANT);
        config.put("stipple.gateway.bootstrap.api-key", DEVELOPMENT_KEY);
        return new GatewayAccess(config, Optional.of(DEVELOPMENT_KEY), List.of(
                "API key: " + DEVELOPMENT_KEY,
                "  the development key of tenant '" + DEVELOPMENT_TENANT + "': public, for this machine only (the gateway"
                        + " listens on " + host + "); never use it in production. --no-dev-key turns it off."));
    }

    /** A gateway other machines reach still accepts a development key an earlier run stored in the same state directory. */
    private static List<String> reachableWarning(String host) {
        return LOOPBACK.contains(host) ? List.of() : List.of("The gateway listens on " + host + ": if an earlier run in this"
                + " state directory used the development key, that key still works here; a fresh STIPPLE_HOME rules it out.");
    }
}
