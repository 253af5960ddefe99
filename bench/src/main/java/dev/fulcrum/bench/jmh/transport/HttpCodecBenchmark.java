package dev.fulcrum.bench.jmh.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 codec the proxy's client side runs ({@link HttpServerCodec}, the same class {@code ProxyPipeline}
 * installs) on an embedded channel: decode a typical browser-like GET (eight headers) into its message objects, and
 * encode a small response with Content-Length. Isolates the codec's share of {@link ForwardingPathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HttpCodecBenchmark {
    private static final byte[] REQUEST = ("GET /api/users/42?expand=orders HTTP/1.1\r\n"
            + "Host: api.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: application/json, text/plain, */*\r\n"
            + "Accept-Language: en-GB,en;q=0.7\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Cookie: session=8f14e45fceea167a5a36dedd4bea2543; theme=dark\r\n"
            + "X-Request-Id: 3c6a1b2e-5d3f-4b8e-9a7c-1f2e3d4c5b6a\r\n"
            + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "{\"id\":42,\"name\":\"Ada\"}".getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel channel;
    private ByteBuf request;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new HttpServerCodec());
        request = Unpooled.directBuffer(REQUEST.length).writeBytes(REQUEST);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        request.release();
        channel.finishAndReleaseAll();
    }

    /** Bytes in, HttpRequest + LastHttpContent out (both released). */
    @Benchmark
    public void decodeRequest(Blackhole bh) {
        channel.writeInbound(request.retainedDuplicate());
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            bh.consume(msg);
            ReferenceCountUtil.release(msg);
        }
    }

    /** A decoded request's answer: status line, two headers, a 22-byte body encoded to one buffer. */
    @Benchmark
    public void encodeResponse(Blackhole bh) {
        // The codec only encodes a response after a request: decode one first, as on a real connection.
        decodeRequest(bh);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(BODY));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
        channel.writeOutbound(response);
        Object out;
        while ((out = channel.readOutbound()) != null) {
            bh.consume(out);
            ReferenceCountUtil.release(out);
        }
    }
}
