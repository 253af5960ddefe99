package dev.fulcrum.core.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one CIDR type of the admin allowlist and the rate limiter's trusted proxies: every way of asking agrees. */
class CidrTest {

    @Test
    void theThreeMatchersAgreeOnIpv4() throws Exception {
        final Cidr net = Cidr.parse(" 192.168.1.0/23 ");
        for (String address : new String[] {"192.168.0.0", "192.168.1.255", "192.168.2.0", "10.0.0.1"}) {
            final boolean inside = address.startsWith("192.168.0") || address.startsWith("192.168.1");
            final byte[] bytes = Cidr.literalBytes(address);
            assertEquals(inside, net.contains(bytes), address);
            assertEquals(inside, net.contains(InetAddress.getByAddress(bytes)), address);
            assertEquals(inside, net.containsIpv4(Cidr.parseIpv4(address, 0, address.length())), address);
        }
        assertTrue(Cidr.parse("0.0.0.0/0").containsIpv4(0xffffffffL));
        assertFalse(Cidr.parse("::/0").containsIpv4(1), "an IPv6 network holds no IPv4 number");
    }

    @Test
    void anIpv4MappedIpv6PeerMatchesIpv4NetworksWithoutAllocating() {
        final byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        assertTrue(Cidr.parse("10.0.0.0/8").contains(mapped));
        assertFalse(Cidr.parse("11.0.0.0/8").contains(mapped));
        assertFalse(Cidr.parse("::1").contains(mapped));
    }

    @Test
    void ipv6WithAndWithoutBrackets() throws Exception {
        assertTrue(Cidr.parse("[2001:db8::1]").contains(InetAddress.getByName("2001:db8::1")));
        assertTrue(Cidr.parse("2001:db8::/32").contains(Cidr.numeric("[2001:db8:ffff::9]")));
        assertArrayEquals(Cidr.literalBytes("::1"), Cidr.numeric("[::1]"));
        assertEquals("10.0.0.0/8", Cidr.parse("10.0.0.0/8").toString());
    }

    @Test
    void rejectsNamesPrefixesThatDoNotFitAndGarbage() {
        for (String bad : new String[] {"localhost", "example.com", "10.0.0.0/33", "::1/129", "10.0.0.0/-1",
                "10.0.0/8", "256.0.0.1", "1.2.3.4/x", "", "1.2.3.4.5", "fe80::1%eth0"}) {
            assertFalse(Cidr.isValid(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
        assertNull(Cidr.numeric("localhost"));
        assertNull(Cidr.literalBytes("a".repeat(46)));
        assertEquals(-1, Cidr.parseIpv4("1.2.3", 0, 5));
    }
}
