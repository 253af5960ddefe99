package dev.fulcrum.transport.proxy;

import dev.fulcrum.transport.io.TransportKind;
import dev.fulcrum.transport.testing.ProxyFixture;
import dev.fulcrum.transport.testing.TestOrigin;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random mutations of valid requests (byte flips, inserted CR/LF/SP/HT/NUL/colon/comma, deletions, duplicated
 * ranges, truncation): every input must get a response or a close within a bounded time, never a hang, and the proxy
 * must keep serving; LeakGuard fails the class on any buffer leak (paranoid detection).
 */
@Timeout(180)
class RequestFuzzTest {
    private static final long SEED = 0x5eed_f0c0L;
    private static final int CASES = 400;
    private static final String[] VALID = {
        "GET /a?x=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        "HEAD /size/10 HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n",
        "GET /b HTTP/1.0\r\n\r\n",
    };
    private static final byte[] INTERESTING = {'\r', '\n', ' ', '\t', 0, ':', ',', ';', '0', 'f', '-', (byte) 0xff};

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void everyMutatedRequestGetsAnAnswerOrACloseAndTheProxyKeepsServing(TransportKind kind) throws Exception {
        final String yaml = "timeouts: {request_header: 300ms, client_idle: 500ms, response: 2s}\n";
        final Map<String, Integer> outcomes = new TreeMap<>();
        final List<String> hangs = new ArrayList<>();
        try (TestOrigin origin = new TestOrigin("o1");
             ProxyFixture proxy = ProxyFixture.over(kind, yaml, origin.url())) {
            final SplittableRandom random = new SplittableRandom(SEED);
            for (int i = 0; i < CASES; i++) {
                final byte[] input = mutate(VALID[random.nextInt(VALID.length)].getBytes(StandardCharsets.ISO_8859_1),
                        random);
                final String outcome = exchange(proxy.port(), input);
                if (outcome.equals("hang")) {
                    hangs.add(i + ": " + new String(input, StandardCharsets.ISO_8859_1)
                            .replace("\r", "\\r").replace("\n", "\\n"));
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
            assertEquals(200, proxy.get("/still-serving").statusCode());
        }
        System.out.println("fuzz on " + kind.configName() + ": " + CASES + " mutated requests (seed "
                + Long.toHexString(SEED) + "), outcomes " + outcomes);
        assertTrue(hangs.isEmpty(), "no answer and no close within 5 s:\n" + String.join("\n", hangs));
    }

    /** "status NNN", "closed" or "hang". */
    private static String exchange(int port, byte[] input) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            try {
                socket.getOutputStream().write(input);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                return "closed";
            }
            final InputStream in = socket.getInputStream();
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                int c;
                while ((c = in.read()) != -1 && c != '\n') {
                    line.write(c);
                }
                if (line.size() == 0) {
                    return "closed";
                }
            } catch (SocketTimeoutException e) {
                return "hang";
            } catch (IOException e) {
                return "closed";
            }
            final String status = line.toString(StandardCharsets.ISO_8859_1);
            return status.startsWith("HTTP/1.1 ") && status.length() >= 12 ? "status " + status.substring(9, 12)
                    : "other";
        }
    }

    private static byte[] mutate(byte[] valid, SplittableRandom random) {
        final List<Byte> bytes = new ArrayList<>(valid.length + 16);
        for (byte b : valid) {
            bytes.add(b);
        }
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && !bytes.isEmpty(); m++) {
            final int at = random.nextInt(bytes.size());
            switch (random.nextInt(6)) {
                case 0 -> bytes.set(at, (byte) random.nextInt(256));
                case 1 -> bytes.add(at, INTERESTING[random.nextInt(INTERESTING.length)]);
                case 2 -> bytes.remove(at);
                case 3 -> {
                    final int end = Math.min(bytes.size(), at + 1 + random.nextInt(12));
                    bytes.addAll(at, new ArrayList<>(bytes.subList(at, end)));
                }
                case 4 -> bytes.set(at, INTERESTING[random.nextInt(INTERESTING.length)]);
                default -> {
                    while (bytes.size() > at + 1) {
                        bytes.remove(bytes.size() - 1); // truncate
                    }
                }
            }
        }
        final byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
