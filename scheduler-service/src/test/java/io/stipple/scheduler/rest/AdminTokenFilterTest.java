package io.stipple.scheduler.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.scheduler.config.AdminConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cases the running scheduler's test profile cannot show: no token set, a token too short, other resources. */
class AdminTokenFilterTest {

    private static final String TOKEN = "a-token-of-enough-characters-0123";

    @Test
    void withoutATokenTheAdminEndpointsAreOffForEveryone() {
        AdminTokenFilter filter = new AdminTokenFilter(config(Optional.empty()));
        Optional<Response> refused = filter.requireToken(request("Bearer anything"), resource(QueueResource.class));
        assertEquals(403, refused.orElseThrow().getStatus());
        assertEquals("urn:stipple:problem:admin-disabled", ((AdminProblems.Problem) refused.get().getEntity()).type());
    }

    @Test
    void theRightTokenPassesAndAWrongOneOfAnyLengthIsRefused() {
        AdminTokenFilter filter = new AdminTokenFilter(config(Optional.of(TOKEN)));
        assertTrue(filter.requireToken(request("Bearer " + TOKEN), resource(QueueResource.class)).isEmpty());
        assertTrue(filter.requireToken(request("bearer " + TOKEN), resource(QueueResource.class)).isEmpty(), "the scheme is case-insensitive");
        for (String wrong : new String[] {"Bearer " + TOKEN.substring(1), "Bearer " + TOKEN + "0", "Bearer ", "Basic " + TOKEN, ""}) {
            assertEquals(401, filter.requireToken(request(wrong), resource(QueueResource.class)).orElseThrow().getStatus(), wrong);
        }
        assertEquals(401, filter.requireToken(request(null), resource(QueueResource.class)).orElseThrow().getStatus());
    }

    @Test
    void otherResourcesAreNotItsBusiness() {
        AdminTokenFilter filter = new AdminTokenFilter(config(Optional.empty()));
        assertTrue(filter.requireToken(request(null), resource(NotAdmin.class)).isEmpty());
        assertTrue(filter.requireToken(request(null), resource(null)).isEmpty());
    }

    @Test
    void aShortTokenStopsTheSchedulerAtStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AdminTokenFilter(config(Optional.of("short-token"))));
        assertTrue(e.getMessage().contains("at least " + AdminTokenFilter.MIN_TOKEN_LENGTH), e.getMessage());
    }

    @jakarta.ws.rs.Path("/administrators-of-nothing")
    static class NotAdmin {
    }

    private static AdminConfig config(Optional<String> token) {
        return () -> token;
    }

    private static ContainerRequestContext request(String authorization) {
        return proxy(ContainerRequestContext.class, (method, args) ->
                method.getName().equals("getHeaderString") ? authorization : null);
    }

    private static ResourceInfo resource(Class<?> type) {
        return proxy(ResourceInfo.class, (method, args) -> method.getName().equals("getResourceClass") ? type : null);
    }

    interface Answer {
        Object answer(Method method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method, args)));
    }
}
