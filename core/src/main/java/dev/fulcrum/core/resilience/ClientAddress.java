package dev.fulcrum.core.resilience;

import dev.fulcrum.core.config.Cidr;

import java.util.List;

/**
 * Finds the client a request counts against: the TCP peer, or, when the peer is a trusted proxy, the first
 * untrusted address in {@code X-Forwarded-For} read from the right (RFC 7239 section 7.4's rule: only hops you
 * trust can be believed; everything left of the first untrusted hop may be forged).
 *
 * <p>Immutable and thread-safe. Keys are 64-bit: IPv4 addresses map to {@code 2^32 | address}, IPv6 addresses to
 * a hash of their 128 bits with the top bit set; 0 is never a key. {@link #clientKey} allocates nothing for IPv4
 * entries.
 */
public final class ClientAddress {
    private static final long IPV4_TAG = 1L << 32;

    private final Cidr[] trusted;

    public ClientAddress(List<String> trustedCidrs) {
        this.trusted = new Cidr[trustedCidrs.size()];
        for (int i = 0; i < trusted.length; i++) {
            trusted[i] = Cidr.parse(trustedCidrs.get(i));
        }
    }

    /** True when X-Forwarded-For is never believed. */
    public boolean trustsNobody() {
        return trusted.length == 0;
    }

    /** The key of an address given as 4 or 16 bytes. */
    public static long keyOf(byte[] address) {
        if (address.length == 4) {
            return IPV4_TAG | ((address[0] & 0xffL) << 24 | (address[1] & 0xffL) << 16 | (address[2] & 0xffL) << 8
                    | (address[3] & 0xffL));
        }
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : address) {
            h = (h ^ (b & 0xff)) * 0x100000001B3L;
        }
        return h | Long.MIN_VALUE;
    }

    /** True when the peer (4 or 16 bytes) is a trusted proxy. */
    public boolean isTrusted(byte[] address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client key for a request from a trusted peer carrying {@code forwardedFor}; {@code peerKey} when the
     * header is absent or holds nothing usable.
     */
    public long clientKey(long peerKey, CharSequence forwardedFor) {
        if (forwardedFor == null) {
            return peerKey;
        }
        long key = peerKey;
        int end = forwardedFor.length();
        while (end > 0) {
            int start = end;
            while (start > 0 && forwardedFor.charAt(start - 1) != ',') {
                start--;
            }
            int from = start;
            int to = end;
            while (from < to && forwardedFor.charAt(from) == ' ') {
                from++;
            }
            while (to > from && forwardedFor.charAt(to - 1) == ' ') {
                to--;
            }
            final long v4 = Cidr.parseIpv4(forwardedFor, from, to);
            if (v4 >= 0) {
                key = IPV4_TAG | v4;
                if (!isTrustedIpv4(v4)) {
                    return key;
                }
            } else {
                final byte[] bytes = Cidr.literalBytes(forwardedFor.subSequence(from, to));
                if (bytes == null) {
                    return key; // garbage: the last hop we could read is the best we know
                }
                key = keyOf(bytes);
                if (!isTrusted(bytes)) {
                    return key;
                }
            }
            end = start - 1;
        }
        return key;
    }

    private boolean isTrustedIpv4(long v4) {
        for (Cidr cidr : trusted) {
            if (cidr.containsIpv4(v4)) {
                return true;
            }
        }
        return false;
    }
}
