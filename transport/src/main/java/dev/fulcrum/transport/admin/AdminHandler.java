package dev.fulcrum.transport.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One admin request: allowlist on the socket address, then authentication, then the endpoint, all answered in JSON.
 *
 * <p>Sharable and stateless: decoding happens on the admin event loop; authentication and the endpoint run on the
 * control thread ({@link ControlPlane}), which writes the response back to the channel. The only endpoints that
 * answer without credentials are {@code POST /api/auth/login}, {@code POST /api/auth/refresh} and the liveness probe
 * {@code GET /healthz}.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final ControlPlane control;
    private final ClientAllowlist allowlist;
    private final Supplier<AdminAuth> auth;
    private final AdminApi api;

    AdminHandler(ControlPlane control, ClientAllowlist allowlist, Supplier<AdminAuth> auth, AdminApi api) {
        this.control = control;
        this.allowlist = allowlist;
        this.auth = auth;
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, error(400, "malformed request"), false);
            return;
        }
        final InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        final InetAddress client = allowlist.clientOf(peer, request.headers().get("X-Forwarded-For"));
        if (!allowlist.permits(client)) {
            LOG.warn("admin: refused {} (peer {}) {} {}", client.getHostAddress(), peer.getHostAddress(),
                    request.method(), request.uri());
            write(ctx, error(403, "access denied"), false);
            return;
        }
        final QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        final String path = decoder.path();
        final String method = request.method().name();
        if (path.equals("/healthz")) {
            write(ctx, json(200, Map.of("status", "ok")), keepAlive);
            return;
        }
        final Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, List<String>> e : decoder.parameters().entrySet()) {
            query.put(e.getKey(), e.getValue().get(e.getValue().size() - 1));
        }
        final String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        final JsonNode body;
        try {
            body = parseBody(request.content());
        } catch (IOException e) {
            write(ctx, error(400, "body is not valid JSON"), keepAlive);
            return;
        }
        control.submit(() -> dispatch(method, path, query, body, authorization)).whenComplete((response, failure) -> {
            FullHttpResponse out;
            if (failure == null) {
                out = response;
            } else {
                final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof AdminException) {
                    out = error(((AdminException) cause).status(), cause.getMessage());
                } else {
                    LOG.warn("admin: {} {} failed", method, path, cause);
                    out = error(500, "internal error");
                }
            }
            write(ctx, out, keepAlive);
        });
    }

    /** Control thread: authenticate, then run the endpoint. */
    private FullHttpResponse dispatch(String method, String path, Map<String, String> query, JsonNode body,
                                      String authorization) {
        final AdminAuth authenticator = auth.get();
        if (path.equals("/api/auth/login")) {
            if (!method.equals("POST")) {
                throw new AdminException(405, "method " + method + " not allowed (expected: POST)");
            }
            final String user = AdminApi.text(body, "username", true);
            final String password = body.get("password") == null || !body.get("password").isTextual()
                    ? null : body.get("password").asText();
            if (password == null) {
                throw new AdminException(400, "password is required");
            }
            return json(200, authenticator.login(user, password));
        }
        if (path.equals("/api/auth/refresh")) {
            if (!method.equals("POST")) {
                throw new AdminException(405, "method " + method + " not allowed (expected: POST)");
            }
            return json(200, authenticator.refresh(AdminApi.text(body, "refresh_token", true)));
        }
        final AdminAuth.Principal principal = authenticator.authenticate(authorization);
        if (principal == null) {
            final FullHttpResponse unauthorized = error(401, "missing or invalid bearer token");
            unauthorized.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"fulcrum\"");
            return unauthorized;
        }
        final AdminResponse response = api.handle(method, path, query, body, principal);
        if (method.equals("POST") || method.equals("PUT") || method.equals("DELETE")) {
            LOG.info("admin: {} {} {} by {} -> {}", method, path, query, principal.name(), response.status());
        }
        if (response.raw() != null) {
            final FullHttpResponse raw = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(response.raw()));
            raw.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            return raw;
        }
        if (response.json() == null) {
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                    Unpooled.EMPTY_BUFFER);
        }
        return json(response.status(), response.json());
    }

    private static JsonNode parseBody(ByteBuf content) throws IOException {
        if (!content.isReadable()) {
            return null;
        }
        final byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        return JSON.readTree(bytes);
    }

    static FullHttpResponse json(int status, Object body) {
        final byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    static FullHttpResponse error(int status, String reason) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", reason);
        return json(status, body);
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection failed: {}", cause.toString());
        ctx.close();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
