package io.stipple.gateway.webhook.address;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookAddressPolicyTest {

    private static final WebhookAddressPolicy PUBLIC = WebhookAddressPolicy.publicOnly();

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/h", "http://127.255.0.9/h", "http://[::1]/h", "http://[::ffff:127.0.0.1]/h",
            "http://[::ffff:7f00:1]/h", "http://[::127.0.0.1]/h", "http://169.254.169.254/latest/meta-data/",
            "http://[0:0:0:0:0:ffff:a9fe:a9fe]/h", "http://[64:ff9b::a9fe:a9fe]/h", "http://[2002:a9fe:a9fe::1]/h",
            "http://[fe80::1]/h", "http://10.1.2.3/h", "http://172.31.255.255/h", "http://192.168.1.1/h", "http://100.64.0.1/h",
            "http://[fd00::1]/h", "http://[fc12::1]/h", "http://224.0.0.1/h", "http://239.1.1.1/h", "http://[ff02::1]/h",
            "http://255.255.255.255/h", "http://0.0.0.0/h", "http://[::]/h", "http://[2001:db8::1]/h", "http://[2001::1]/h"})
    void internalAddressesAreRefused(String url) {
        WebhookTargetException e = assertThrows(WebhookTargetException.class,
                () -> PUBLIC.check(WebhookUrls.parse(url), InetAddress::getAllByName));
        assertTrue(e.getMessage().startsWith("points at an internal address"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/h", "http://0x7f000001/h", "http://0177.0.0.1/h", "http://0x7f.0.0.1/h",
            "http://1.2.3/h", "http://010.0.0.1/h"})
    void ambiguousNumericHostsAreRefusedBeforeAnyLookup(String url) {
        // Refused by the URL parser or as ambiguous, never looked up (a lookup fails the test with an AssertionError).
        assertThrows(WebhookTargetException.class, () -> PUBLIC.check(WebhookUrls.parse(url), host -> {
            throw new AssertionError("looked up " + host);
        }));
    }

    @Test
    void aNameIsJudgedByEveryAddressItResolvesTo() throws UnknownHostException {
        InetAddress publicOne = InetAddress.getByName("93.184.215.14");
        InetAddress metadata = InetAddress.getByName("169.254.169.254");
        URI url = WebhookUrls.parse("https://hooks.example.com/h");
        assertEquals(List.of(publicOne), PUBLIC.check(url, host -> new InetAddress[] {publicOne}));
        WebhookTargetException e = assertThrows(WebhookTargetException.class,
                () -> PUBLIC.check(url, host -> new InetAddress[] {publicOne, metadata}));
        assertTrue(e.getMessage().contains("hooks.example.com resolves to 169.254.169.254"), e.getMessage());
        assertTrue(e.getMessage().contains("169.254.0.0/16"), e.getMessage());
    }

    @Test
    void anUnresolvableHostIsRefused() {
        WebhookTargetException e = assertThrows(WebhookTargetException.class, () -> PUBLIC.check(
                WebhookUrls.parse("https://nowhere.invalid/h"), host -> {
                    throw new UnknownHostException(host);
                }));
        assertTrue(e.getMessage().contains("does not resolve"), e.getMessage());
    }

    @Test
    void theAllowListLetsChosenBlocksAddressesAndHostsThrough() throws UnknownHostException {
        WebhookAddressPolicy policy = WebhookAddressPolicy.allowing(List.of("127.0.0.0/8", "::1", " hooks.internal "));
        assertEquals(1, policy.check(WebhookUrls.parse("http://127.0.0.1:9999/h"), InetAddress::getAllByName).size());
        assertEquals(1, policy.check(WebhookUrls.parse("http://[::1]:9999/h"), InetAddress::getAllByName).size());
        InetAddress internal = InetAddress.getByName("10.0.0.5");
        assertEquals(List.of(internal), policy.check(WebhookUrls.parse("http://HOOKS.internal/h"), host -> new InetAddress[] {internal}));
        // Only what was listed: the rest of the internal ranges stay closed.
        assertThrows(WebhookTargetException.class, () -> policy.check(WebhookUrls.parse("http://169.254.169.254/h"), InetAddress::getAllByName));
        assertThrows(WebhookTargetException.class, () -> policy.check(WebhookUrls.parse("http://other.internal/h"),
                host -> new InetAddress[] {internal}));
    }

    @Test
    void publicAddressesPass() throws UnknownHostException {
        for (String address : List.of("93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1", "100.128.0.1")) {
            assertTrue(PUBLIC.refusal(InetAddress.getByName(address)).isEmpty(), address);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://exa^mple.org/h", "http://[::1/h", "http://example.org:99999/h", "http://%zz/h",
            "https://user@/h", "http://:80/h", "https://example.org/h#a#b", "ftp://example.org/h", "https://u:p@example.org/h",
            "/relative/path", "http://example.org:0/h"})
    void urlsThatAreNoServerAddressAreRefused(String url) {
        assertThrows(WebhookTargetException.class, () -> WebhookUrls.parse(url));
    }
}
