package io.stipple.worker;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stipple.stack.test.StippleStackResource;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness is real: with credentials the object store refuses, the worker reports not ready. */
@QuarkusTest
@TestProfile(WorkerNotReadyTest.WrongStorageSecret.class)
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WorkerNotReadyTest {

    public static class WrongStorageSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stipple.storage.secret-key", "not-the-secret");
        }
    }

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @Test
    void notReadyWhenTheObjectStoreRefusesItsCredentials() {
        given().when().get(readiness).then()
                .statusCode(503)
                .body("checks.find { it.name == 'object-store' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }
}
