package dev.fulcrum.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a /32 or /128.
 *
 * <p>Immutable. Parsing accepts numeric addresses only (never resolves a name). An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}) matches IPv4 networks, since dual-stack sockets report IPv4 peers that way.
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
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && network.length == 4 && isV4Mapped(bytes)) {
            final byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            bytes = v4;
        }
        if (bytes.length != network.length) {
            return false;
        }
        int bits = prefixBits;
        for (int i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
            final int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((bytes[i] & mask) != (network[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** The bytes of a numeric IPv4 or IPv6 literal, or null; never a DNS lookup. */
    public static byte[] numeric(String text) {
        final String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (s.isEmpty()) {
            return null;
        }
        final boolean v6 = s.indexOf(':') >= 0;
        if (!v6) {
            final String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            final byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                    return null;
                }
                final int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
        }
        try {
            // Only hex digits, colons and dots reach here: InetAddress parses the literal without any lookup.
            final byte[] bytes = InetAddress.getByName(s).getAddress();
            return bytes;
        } catch (UnknownHostException e) {
            return null;
        }
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
