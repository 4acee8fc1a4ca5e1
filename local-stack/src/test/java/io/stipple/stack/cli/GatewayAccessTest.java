package io.stipple.stack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayAccessTest {

    private static final String OWN_KEY = "stp_0123456789ab_mine";

    @Test
    void byDefaultTheGatewayGetsTheDevelopmentTenantOnLoopbackAndTheUserIsToldItsKey() {
        GatewayAccess access = GatewayAccess.choose(Map.of(), true, "127.0.0.1");

        assertEquals(Map.of("quarkus.http.host", "127.0.0.1", "stipple.gateway.bootstrap.tenant", "dev",
                "stipple.gateway.bootstrap.api-key", GatewayAccess.DEVELOPMENT_KEY), access.gatewayConfig());
        assertEquals(Optional.of(GatewayAccess.DEVELOPMENT_KEY), access.apiKey());
        assertEquals("API key: " + GatewayAccess.DEVELOPMENT_KEY, access.notice().get(0));
        assertTrue(access.notice().get(1).contains("never use it in production"), access.notice().toString());
    }

    @Test
    void theDevelopmentKeyHasTheGatewaysKeyShapeAndIsTheOneTheReadmeGives() throws IOException {
        assertTrue(GatewayAccess.DEVELOPMENT_KEY.matches("stp_[0-9a-f]{12}_[A-Za-z0-9-]+"), GatewayAccess.DEVELOPMENT_KEY);
        assertTrue(Files.readString(Path.of("..", "README.md")).contains(GatewayAccess.DEVELOPMENT_KEY),
                "README.md does not give the development key");
    }

    @Test
    void theUsersOwnBootstrapKeyWinsAndReachesTheGatewayThroughItsEnvironment() {
        GatewayAccess access = GatewayAccess.choose(Map.of(GatewayAccess.OWN_KEY_ENV, OWN_KEY), true, "127.0.0.1");

        assertEquals(Map.of("quarkus.http.host", "127.0.0.1"), access.gatewayConfig());
        assertEquals(Optional.of(OWN_KEY), access.apiKey());
        assertEquals(0, access.notice().size(), access.notice().toString());
    }

    @Test
    void withoutTheDevelopmentKeyTheUserIsToldHowToCreateOne() {
        GatewayAccess access = GatewayAccess.choose(Map.of(), false, "127.0.0.1");

        assertEquals(Optional.empty(), access.apiKey());
        assertEquals(Map.of("quarkus.http.host", "127.0.0.1"), access.gatewayConfig());
        assertTrue(access.notice().get(0).contains("create-tenant"), access.notice().toString());
    }

    @Test
    void theDevelopmentKeyIsRefusedOnAnAddressOtherMachinesReach() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> GatewayAccess.choose(Map.of(), true, "0.0.0.0"));
        assertTrue(refused.getMessage().contains("--no-dev-key"), refused.getMessage());
    }

    @Test
    void anOwnKeyOnAReachableAddressIsWarnedAboutAnEarlierDevelopmentKey() {
        GatewayAccess access = GatewayAccess.choose(Map.of(GatewayAccess.OWN_KEY_ENV, OWN_KEY), true, "0.0.0.0");

        assertEquals(Map.of("quarkus.http.host", "0.0.0.0"), access.gatewayConfig());
        assertTrue(access.notice().get(0).contains("fresh STIPPLE_HOME"), access.notice().toString());
    }
}
