package io.stipple.gateway.webhook.address;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR block (IPv4 or IPv6) with what it is, e.g. {@code 169.254.0.0/16 link-local (cloud metadata)}. */
record AddressBlock(byte[] network, int prefixLength, String description) {

    static AddressBlock of(String cidr, String description) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR block (address/prefix): " + cidr);
        }
        byte[] network = literal(cidr.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR prefix length: " + cidr);
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: " + cidr);
        }
        return new AddressBlock(network, prefix, description);
    }

    /** True if the address (of the same family) lies in this block. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength + " (" + description + ")";
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes of a numeric address literal; never asks DNS (a name is refused). */
    static byte[] literal(String text) {
        if (!text.contains(":") && !text.matches("[0-9.]+")) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
    }
}
