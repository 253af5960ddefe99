package dev.fulcrum.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a /32 or /128.
 * The one parser and matcher of every address list in the config: the admin allowlist and trusted proxies, and the
 * rate limiter's trusted proxies.
 *
 * <p>Immutable. Parsing accepts numeric addresses only (never resolves a name). An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}) matches IPv4 networks, since dual-stack sockets may report IPv4 peers that way. The
 * matchers that take bytes or a number allocate nothing, for use on the request path.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixBits;

    private Cidr(byte[] network, int prefixBits) {
        this.network = network;
        this.prefixBits = prefixBits;
    }

    /** @throws IllegalArgumentException when the text is not a numeric address with an optional /prefix */
    public static Cidr parse(String text) {
        final String trimmed = text.trim();
        final int slash = trimmed.indexOf('/');
        final String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        final byte[] bytes = numeric(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not a numeric IP address: " + address);
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text, e);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in " + text);
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** True when {@code text} is a numeric address with an optional prefix length that fits it. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when the address lies in this network. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** True when the address (4 or 16 bytes) lies in this network. Allocation-free. */
    public boolean contains(byte[] address) {
        int offset = 0;
        if (address.length == 16 && network.length == 4 && isV4Mapped(address)) {
            offset = 12;
        } else if (address.length != network.length) {
            return false;
        }
        final int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (address[offset + i] != network[i]) {
                return false;
            }
        }
        final int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        final int mask = 0xff << (8 - rest) & 0xff;
        return (address[offset + full] & mask) == (network[full] & mask);
    }

    /** True when the IPv4 address (as an unsigned 32-bit value) lies in this network. Allocation-free. */
    public boolean containsIpv4(long ipv4) {
        if (network.length != 4) {
            return false;
        }
        if (prefixBits == 0) {
            return true;
        }
        final long net = (network[0] & 0xffL) << 24 | (network[1] & 0xffL) << 16 | (network[2] & 0xffL) << 8
                | (network[3] & 0xffL);
        final long mask = (0xffffffffL << (32 - prefixBits)) & 0xffffffffL;
        return (ipv4 & mask) == (net & mask);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** The bytes of a numeric IPv4 or IPv6 literal, possibly in brackets ({@code [::1]}), or null; never a lookup. */
    public static byte[] numeric(String text) {
        final String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return literalBytes(s);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null; never a DNS lookup. */
    public static byte[] literalBytes(CharSequence literal) {
        if (literal.length() == 0 || literal.length() > 45) {
            return null;
        }
        boolean colon = false;
        for (int i = 0; i < literal.length(); i++) {
            final char c = literal.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (!(c >= '0' && c <= '9' || c == '.' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
        }
        if (!colon) {
            final long v4 = parseIpv4(literal, 0, literal.length());
            if (v4 < 0) {
                return null;
            }
            return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        }
        try {
            // Only hex digits, colons and dots reach here: InetAddress parses the literal without any lookup.
            return InetAddress.getByName(literal.toString()).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A dotted-quad IPv4 address in {@code s[from, to)} as an unsigned 32-bit value, or -1. Allocation-free. */
    public static long parseIpv4(CharSequence s, int from, int to) {
        long value = 0;
        int octets = 0;
        int octet = -1;
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = octet < 0 ? c - '0' : octet * 10 + (c - '0');
                if (octet > 255) {
                    return -1;
                }
            } else if (c == '.' && octet >= 0 && octets < 3) {
                value = value << 8 | octet;
                octets++;
                octet = -1;
            } else {
                return -1;
            }
        }
        if (octets != 3 || octet < 0) {
            return -1;
        }
        return value << 8 | octet;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + '/' + prefixBits;
        } catch (UnknownHostException e) {
            return "?/" + prefixBits;
        }
    }
}
