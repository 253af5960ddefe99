package dev.fulcrum.transport.admin;

import dev.fulcrum.core.config.Cidr;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides who may talk to the admin listener, from the socket's peer address.
 *
 * <p>Immutable, thread-safe. X-Forwarded-For is believed only when the socket peer is a configured trusted proxy;
 * then the client is the right-most address in the header that is not itself a trusted proxy (the left part of the
 * header is whatever the client chose to send). terraster took the first X-Forwarded-For entry from anyone, so any
 * client could claim an allowed address.
 */
final class ClientAllowlist {
    private final List<Cidr> allowed;
    private final List<Cidr> trusted;

    ClientAllowlist(List<String> allowedCidrs, List<String> trustedProxies) {
        this.allowed = parse(allowedCidrs);
        this.trusted = parse(trustedProxies);
    }

    private static List<Cidr> parse(List<String> texts) {
        final List<Cidr> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(Cidr.parse(text));
        }
        return List.copyOf(out);
    }

    /** The address the request is attributed to: the peer, or for a trusted proxy its forwarded client. */
    InetAddress clientOf(InetAddress peer, String forwardedFor) {
        if (forwardedFor == null || !matches(trusted, peer)) {
            return peer;
        }
        final String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            final byte[] bytes = Cidr.numeric(hops[i].trim());
            if (bytes == null) {
                return peer; // garbage in the chain: do not guess
            }
            final InetAddress hop;
            try {
                hop = InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                return peer;
            }
            if (!matches(trusted, hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** True when the client may use the admin API at all (before authentication). */
    boolean permits(InetAddress client) {
        return allowed.isEmpty() || matches(allowed, client);
    }

    private static boolean matches(List<Cidr> cidrs, InetAddress address) {
        for (Cidr cidr : cidrs) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
