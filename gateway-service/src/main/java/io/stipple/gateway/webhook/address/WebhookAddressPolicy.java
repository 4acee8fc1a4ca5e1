package io.stipple.gateway.webhook.address;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which addresses a webhook may call: resolve the URL's host, then refuse it if any address it
 * resolves to is loopback, link-local (the cloud metadata service at 169.254.169.254), private,
 * shared (carrier-grade NAT), unique-local, multicast, unspecified, documentation or reserved, in
 * IPv4 and IPv6 (IPv4 embedded in IPv6 as mapped, compatible, NAT64 or 6to4 addresses is judged as
 * the IPv4 address it carries). A host written as an ambiguous number (decimal integer, octal or hex
 * parts: resolvers disagree on what {@code 0177.0.0.1} means) is refused before any lookup.
 *
 * <p>The gateway checks at submission, and again at each delivery (DNS may have changed since), then
 * connects only to an address it checked. An allow-list of CIDR blocks, single
 * addresses or host names lets an operator permit internal receivers on purpose.
 */
public final class WebhookAddressPolicy {

    /** Looks a host up; {@code InetAddress::getAllByName} in production (blocking: not on an event loop). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final List<AddressBlock> INTERNAL = List.of(
            AddressBlock.of("0.0.0.0/8", "'this network'"),
            AddressBlock.of("10.0.0.0/8", "private"),
            AddressBlock.of("100.64.0.0/10", "shared, carrier-grade NAT"),
            AddressBlock.of("127.0.0.0/8", "loopback"),
            AddressBlock.of("169.254.0.0/16", "link-local, incl. the cloud metadata service"),
            AddressBlock.of("172.16.0.0/12", "private"),
            AddressBlock.of("192.0.0.0/24", "IETF protocol assignments"),
            AddressBlock.of("192.0.2.0/24", "documentation"),
            AddressBlock.of("192.88.99.0/24", "6to4 relay anycast"),
            AddressBlock.of("192.168.0.0/16", "private"),
            AddressBlock.of("198.18.0.0/15", "benchmarking"),
            AddressBlock.of("198.51.100.0/24", "documentation"),
            AddressBlock.of("203.0.113.0/24", "documentation"),
            AddressBlock.of("224.0.0.0/4", "multicast"),
            AddressBlock.of("240.0.0.0/4", "reserved, incl. broadcast"),
            AddressBlock.of("::/128", "unspecified"),
            AddressBlock.of("::1/128", "loopback"),
            AddressBlock.of("64:ff9b:1::/48", "local-use NAT64"),
            AddressBlock.of("100::/64", "discard-only"),
            AddressBlock.of("2001::/23", "IETF protocol assignments, incl. Teredo"),
            AddressBlock.of("2001:db8::/32", "documentation"),
            AddressBlock.of("fc00::/7", "unique-local"),
            AddressBlock.of("fe80::/10", "link-local"),
            AddressBlock.of("fec0::/10", "site-local"),
            AddressBlock.of("ff00::/8", "multicast"));

    private static final Pattern NUMERIC_LABEL = Pattern.compile("(?i)0x[0-9a-f]*|[0-9]+");
    private static final Pattern CANONICAL_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

    private final List<AddressBlock> allowedBlocks;
    private final Set<String> allowedHosts;

    private WebhookAddressPolicy(List<AddressBlock> allowedBlocks, Set<String> allowedHosts) {
        this.allowedBlocks = allowedBlocks;
        this.allowedHosts = allowedHosts;
    }

    /** Public addresses only. */
    public static WebhookAddressPolicy publicOnly() {
        return new WebhookAddressPolicy(List.of(), Set.of());
    }

    /** The policy of an allow-list setting: public addresses only when it is unset. */
    public static WebhookAddressPolicy fromSetting(Optional<List<String>> allowList) {
        return allowList.map(WebhookAddressPolicy::allowing).orElseGet(WebhookAddressPolicy::publicOnly);
    }

    /**
     * Public addresses plus the allow-list: CIDR blocks ({@code 10.20.0.0/16}, {@code fd00::/8}), single
     * addresses ({@code 127.0.0.1}) or host names ({@code hooks.internal}, matched case-insensitively).
     */
    public static WebhookAddressPolicy allowing(List<String> allowList) {
        List<AddressBlock> blocks = new ArrayList<>();
        Set<String> hosts = new TreeSet<>();
        for (String raw : allowList) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/")) {
                blocks.add(AddressBlock.of(entry, "allow-listed"));
            } else if (entry.contains(":") || entry.matches("[0-9.]+")) {
                byte[] address = AddressBlock.literal(entry);
                blocks.add(new AddressBlock(address, address.length * 8, "allow-listed"));
            } else {
                hosts.add(entry.toLowerCase(Locale.ROOT));
            }
        }
        return new WebhookAddressPolicy(List.copyOf(blocks), Set.copyOf(hosts));
    }

    /**
     * Resolves the URL's host and checks every address it resolves to.
     *
     * @return the checked addresses, to connect to (and to nothing else)
     * @throws WebhookTargetException naming the host, the address and the range that refused it
     */
    public List<InetAddress> check(URI url, Resolver resolver) {
        String host = WebhookUrls.host(url);
        refuseAmbiguousNumber(host);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new UnresolvableHostException(host);
        }
        if (addresses.length == 0) {
            throw new UnresolvableHostException(host);
        }
        boolean hostAllowed = allowedHosts.contains(host.toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            Optional<String> refusal = hostAllowed ? Optional.empty() : refusal(address);
            if (refusal.isPresent()) {
                String via = host.equalsIgnoreCase(address.getHostAddress()) ? "" : " resolves to " + address.getHostAddress() + ", which";
                throw new WebhookTargetException("points at an internal address: " + host + via + " is in "
                        + refusal.get() + "; webhooks may call public addresses only (internal receivers need the webhook allow-list)");
            }
        }
        return List.of(addresses);
    }

    /** The internal block the address is in (and not allow-listed), or empty if it may be called. */
    public Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (allowedBlocks.stream().anyMatch(b -> b.contains(bytes))) {
            return Optional.empty();
        }
        byte[] embedded = embeddedIpv4(bytes);
        if (embedded != null) {
            if (allowedBlocks.stream().anyMatch(b -> b.contains(embedded))) {
                return Optional.empty();
            }
            Optional<String> inner = internalBlock(embedded);
            if (inner.isPresent()) {
                return inner.map(block -> block + " (carried inside the IPv6 address)");
            }
        }
        return internalBlock(bytes);
    }

    private static Optional<String> internalBlock(byte[] bytes) {
        return INTERNAL.stream().filter(b -> b.contains(bytes)).findFirst().map(AddressBlock::toString);
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        boolean zeros80 = Arrays.equals(a, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeros80 && a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        boolean compatible = zeros80 && a[10] == 0 && a[11] == 0;
        boolean nat64 = a[0] == 0 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b
                && Arrays.equals(a, 4, 12, new byte[8], 0, 8);
        if (mapped || compatible || nat64) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return Arrays.copyOfRange(a, 2, 6);
        }
        return null;
    }

    /** {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}: numbers that resolvers read differently. */
    private static void refuseAmbiguousNumber(String host) {
        String[] labels = host.split("\\.", -1);
        if (!Arrays.stream(labels).allMatch(l -> NUMERIC_LABEL.matcher(l).matches())) {
            return;
        }
        boolean dottedDecimal = labels.length == 4 && Arrays.stream(labels)
                .allMatch(l -> CANONICAL_OCTET.matcher(l).matches() && Integer.parseInt(l) <= 255);
        if (!dottedDecimal) {
            throw new WebhookTargetException("has a numeric host in an ambiguous form (" + host + "): resolvers read integer, "
                    + "octal and hex forms differently; write an IPv4 address as four decimal numbers");
        }
    }
}
