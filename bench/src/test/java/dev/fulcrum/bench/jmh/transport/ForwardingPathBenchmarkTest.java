package dev.fulcrum.bench.jmh.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.EmptyByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardingPathBenchmarkTest {
    private static final int OPS = 100;

    @ParameterizedTest(name = "body {0} bytes")
    @ValueSource(ints = {0, 1024, 16384})
    void hundredOpsGiveHundredWellFormedResponsesOverOneUpstreamConnectionWithoutLeaks(int bodyBytes) {
        final ForwardingPathBenchmark state = new ForwardingPathBenchmark();
        state.bodyBytes = bodyBytes;
        state.setUp(); // one exchange, which opens the upstream connection
        final Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        final ForwardingRig rig = state.rig();
        final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        final List<ByteBuf> written = new ArrayList<>();
        try {
            for (int i = 0; i < OPS; i++) {
                final long bytes = rig.exchange(buf -> {
                    written.add(buf);
                    decoder.writeInbound(Unpooled.copiedBuffer(buf));
                });
                assertTrue(bytes > bodyBytes, "op " + i + ": " + bytes + " bytes");
                state.forward(bh); // the benchmark method itself, as JMH calls it
            }
            int counted = 0;
            for (ByteBuf buf : written) {
                if (!(buf instanceof EmptyByteBuf)) { // the shared empty buffer is not reference counted
                    assertEquals(0, buf.refCnt(), "a buffer written to the client was not released");
                    counted++;
                }
            }
            assertTrue(counted >= OPS, "only " + counted + " reference-counted buffers reached the client");
            int responses = 0;
            FullHttpResponse response;
            while ((response = decoder.readInbound()) != null) {
                try {
                    assertTrue(response.decoderResult().isSuccess(), response.decoderResult().toString());
                    assertEquals(HttpResponseStatus.OK, response.status());
                    assertEquals(bodyBytes, response.content().readableBytes());
                    if (bodyBytes > 0) {
                        assertEquals('a', response.content().getByte(0));
                        assertEquals('a' + (bodyBytes - 1) % 26, response.content().getByte(bodyBytes - 1));
                    }
                    responses++;
                } finally {
                    response.release();
                }
            }
            assertEquals(OPS, responses);
            assertEquals(1, rig.upstreamConnects(), "keep-alive reuse: one upstream connection for every exchange");
            assertEquals(1, rig.idleUpstreams());
        } finally {
            assertFalse(decoder.finishAndReleaseAll());
            state.tearDown();
        }
        assertEquals(0, rig.requestTemplate().refCnt(), "request template leaked");
        assertEquals(0, rig.responseTemplate().refCnt(), "response template leaked");
    }
}
