package dev.fulcrum.transport.proxy;

import dev.fulcrum.algorithms.select.Selector;
import dev.fulcrum.algorithms.snapshot.BackendSnapshot;
import dev.fulcrum.algorithms.snapshot.BackendState;
import dev.fulcrum.core.config.LimitsConfig;
import dev.fulcrum.core.pool.ServerPool;
import dev.fulcrum.core.resilience.CircuitBreaker;
import dev.fulcrum.core.resilience.CircuitBreakers;
import dev.fulcrum.core.resilience.ClientAddress;
import dev.fulcrum.core.resilience.ClientRateLimiter;
import dev.fulcrum.core.resilience.RateLimiters;
import dev.fulcrum.core.resilience.RetryBudget;
import dev.fulcrum.core.route.Location;
import dev.fulcrum.core.route.VirtualHosts;
import dev.fulcrum.core.rules.HttpsRedirect;
import dev.fulcrum.core.rules.LocationRedirect;
import dev.fulcrum.core.rules.ServiceRules;
import dev.fulcrum.transport.tls.ServerTls;
import dev.fulcrum.transport.accesslog.AccessLog;
import dev.fulcrum.transport.accesslog.AccessRecord;
import dev.fulcrum.transport.metrics.ProxyMetrics;
import dev.fulcrum.transport.metrics.RequestMetrics;
import dev.fulcrum.transport.upstream.UpstreamConnection;
import dev.fulcrum.transport.upstream.UpstreamFailures;
import dev.fulcrum.transport.upstream.UpstreamListener;
import dev.fulcrum.transport.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Relays the HTTP/1.1 exchanges of one client connection to backends, one exchange at a time, streaming both
 * bodies chunk by chunk.
 *
 * <p>Confined to the client channel's event loop, which is also the loop of every upstream connection it uses.
 * The client channel runs with auto-read off: the handler reads the client only while it can forward what it reads
 * (before a request head, or while the upstream accepts body bytes), and reads the upstream only while the client
 * accepts response bytes. Pipelined requests that arrive in the same read as the previous one wait in a queue until
 * the previous response is complete, so responses leave in request order.
 *
 * <p>Ownership: every {@link HttpContent} that reaches this handler is written to the other side (the write owns it)
 * or released here, including on close.
 */
public final class ProxyExchangeHandler extends ChannelInboundHandlerAdapter implements UpstreamListener, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchangeHandler.class);

    private static final int IDLE = 0;
    private static final int ACTIVE = 1;
    private static final int CLOSING = 2;

    private final ProxyContext context;
    private final LimitsConfig limits;
    private final int retries;
    /** The resilience state in force for the current request; re-read per request, since a reload replaces it. */
    private CircuitBreakers breakers;
    private RateLimiters rateLimiters;
    private final ArrayDeque<Object> queued = new ArrayDeque<>(4);
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(4);
    private final GenericFutureListener<Future<UpstreamConnection>> connectListener = this::onConnectComplete;
    /** Bytes the backend sent right after its 101, waiting for the tunnel to start. */
    private final ArrayDeque<ByteBuf> tunnelBytes = new ArrayDeque<>(2);

    private ChannelHandlerContext ctx;
    private UpstreamPool pool;
    private NettyRequestKey requestKey;
    private String clientIp;
    private int localPort;
    /** The peer's rate-limit key, and whether its X-Forwarded-For may name the client instead. */
    private long peerKey;
    private boolean peerTrusted;
    /** The peer's address bytes, kept to recompute the two above when a reload changes the rate limiters. */
    private byte[] peerBytes;
    private long connectionId;
    private long requestSeq;
    private ScheduledFuture<?> ticker;
    private ExchangeFacts facts;
    /** Null unless some service compresses. */
    private ResponseCompressor compressor;
    /** The 502 reason when no try connected: the last failure's kind (a refused TLS handshake says so). */
    private String connectFailure = UpstreamFailures.CONNECT_FAILED;
    /** Whether the client connection is TLS: drives redirect schemes and HSTS. */
    private boolean secure;

    private int phase = IDLE;
    private volatile boolean busy;
    private long idleSinceNanos;
    private boolean headBytesSeen;
    private long headStartNanos;
    /** Last read from the client: a request body that stops arriving is timed out like an idle connection. */
    private long lastInboundNanos;
    private boolean drainingQueue;
    /** Set by the framing guard when a later pipelined request was malformed: answer 400 after the earlier ones. */
    private String malformedReason;

    // The exchange in progress; reset by beginExchange.
    private HttpRequest request;
    private Location location;
    /** The rules of the service the request named (null when none): also shape the responses Fulcrum generates. */
    private ServiceRules serviceRules;
    private String requestOrigin;
    /** The Upgrade header the client sent (with Connection: upgrade), or null. */
    private String upgradeRequested;
    /** A 101 went to the client: the connection becomes a tunnel once the backend's response head is consumed. */
    private boolean upgrading;
    private boolean keepAlive;
    private boolean clientHttp10;
    private boolean headRequest;
    private boolean requestComplete;
    private long requestBodyBytes;
    private BackendState backend;
    private boolean slotHeld;
    /** The breaker of the current try's backend, until its outcome is reported; null when none. */
    private CircuitBreaker breaker;
    private boolean breakerProbe;
    /** The budget the current try (a retry) was claimed from, until that try ends; null otherwise. */
    private RetryBudget claimedRetry;
    private BackendState[] tried = new BackendState[4];
    private int tries;
    /** This exchange already retried once after losing a stale or shared connection (see retryOnFreshConnection). */
    private boolean staleRetried;
    private Future<UpstreamConnection> pendingConnect;
    private UpstreamConnection upstream;
    private boolean headSent;
    private boolean bodyBytesSent;
    private long upstreamStartNanos;
    private long requestSentNanos;
    /**
     * upstream_idle: set on every response read (and when reading resumes after client backpressure); the timer
     * tick turns it into {@link #lastUpstreamReadNanos}, so the per-chunk path reads no clock.
     */
    private boolean upstreamReadSinceTick;
    private long lastUpstreamReadNanos;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean skipInformationalTail;
    private boolean upstreamKeepAlive;
    private boolean closeAfterResponse;
    private int responseStatus;
    private boolean flushUpstream;
    private boolean flushClient;

    // Control-plane hooks: metrics stripe of this loop, and what the access log line needs.
    private int metricsStripe;
    private long exchangeStartNanos;
    private String clientUri;
    private long responseBytes;
    private final AccessRecord accessRecord = new AccessRecord();

    public ProxyExchangeHandler(ProxyContext context) {
        this.context = context;
        this.limits = context.config().limits();
        this.retries = context.config().retries();
        this.breakers = context.circuitBreakers();
        this.rateLimiters = context.rateLimiters();
    }

    /** True while a request is being served; read by the draining thread. */
    public boolean isBusy() {
        return busy;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            // Added after the protocol was chosen (ALPN after the TLS handshake): no channelActive will follow.
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (facts == null) {
            start(ctx);
        }
        ctx.fireChannelActive();
    }

    /** The connection turned out to speak HTTP/2 with prior knowledge: this handler leaves without a trace. */
    void handOverToHttp2() {
        phase = CLOSING;
        busy = false;
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        final Channel ch = ctx.channel();
        pool = context.pool(ch.eventLoop());
        connectionId = context.nextConnectionId();
        final SocketAddress remote = ch.remoteAddress();
        if (remote instanceof InetSocketAddress) {
            final InetAddress address = ((InetSocketAddress) remote).getAddress();
            clientIp = address == null ? ((InetSocketAddress) remote).getHostString() : address.getHostAddress();
            peerBytes = address == null ? null : address.getAddress();
            requestKey = new NettyRequestKey(address == null ? clientIp.hashCode() : Arrays.hashCode(peerBytes));
            if (address != null && !rateLimiters.isEmpty()) {
                final byte[] bytes = peerBytes;
                peerKey = ClientAddress.keyOf(bytes);
                peerTrusted = rateLimiters.clientAddress().isTrusted(bytes);
            }
        } else {
            clientIp = "unknown";
            requestKey = new NettyRequestKey(0L);
        }
        facts = new ExchangeFacts(remote instanceof InetSocketAddress
                ? clientIp + ':' + ((InetSocketAddress) remote).getPort() : clientIp);
        // An HTTP/2 stream's TLS lives on its parent connection.
        final Channel connection = ch instanceof io.netty.handler.codec.http2.Http2StreamChannel ? ch.parent() : ch;
        secure = connection.pipeline().get(ServerTls.HANDLER) != null
                || connection.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null;
        compressor = (ResponseCompressor) ch.pipeline().get(ResponseCompressor.NAME);
        final SocketAddress local = ch.localAddress();
        localPort = local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : 0;
        context.clientChannels().add(ch);
        metricsStripe = context.metrics().stripeOf(ch.eventLoop());
        idleSinceNanos = System.nanoTime();
        ticker = ch.eventLoop().scheduleAtFixedRate(this, context.timerTickNanos(), context.timerTickNanos(),
                TimeUnit.NANOSECONDS);
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        phase = CLOSING;
        busy = false;
        if (ticker != null) {
            ticker.cancel(false);
        }
        abandonUpstream();
        releaseSlot();
        releaseQueued();
        releaseTunnelBytes();
        ctx.fireChannelInactive();
    }

    // ------------------------------------------------------------------------------------------- client inbound

    /** Called by {@link RequestFramingGuard} for every buffer read from the client. */
    void onInboundBytes() {
        if (phase == ACTIVE) {
            lastInboundNanos = System.nanoTime();
        } else if (!headBytesSeen) {
            headBytesSeen = true;
            headStartNanos = System.nanoTime();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == CLOSING) {
            ReferenceCountUtil.release(msg);
        } else if ((phase == ACTIVE && requestComplete) || !queued.isEmpty()) {
            // Pipelined: the previous response must leave first. We stopped reading, so this queue holds at most
            // what one read delivered.
            queued.add(msg);
        } else {
            dispatch(msg);
        }
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest) {
            if (phase == ACTIVE) {
                // A new head before the previous body ended cannot come from a correct decoder state.
                ReferenceCountUtil.release(msg);
                closeClient();
                return;
            }
            beginExchange((HttpRequest) msg);
        } else if (msg instanceof HttpContent) {
            if (phase == ACTIVE) {
                onRequestContent((HttpContent) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushUpstream) {
            flushUpstream = false;
            if (upstream != null) {
                upstream.channel().flush();
            }
        }
        readClientIfReady();
    }

    private void readClientIfReady() {
        if (phase == IDLE) {
            ctx.read();
        } else if (phase == ACTIVE && !requestComplete && headSent && upstream != null
                && upstream.channel().isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null && responseStarted && !responseComplete) {
            upstreamReadSinceTick = true; // the backend's silence counts from now, not from the pause
            upstream.channel().read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("client {} connection {} failed: {}", clientIp, connectionId, cause.toString());
        }
        closeClient();
    }

    private void beginExchange(HttpRequest req) {
        phase = ACTIVE;
        lastInboundNanos = System.nanoTime();
        busy = true;
        headBytesSeen = false;
        requestSeq++;
        request = req;
        exchangeStartNanos = System.nanoTime();
        clientUri = req.uri();
        responseBytes = 0;
        location = null;
        serviceRules = null;
        requestOrigin = null;
        upgradeRequested = null;
        upgrading = false;
        requestComplete = false;
        requestBodyBytes = 0;
        tries = 0;
        staleRetried = false;
        connectFailure = UpstreamFailures.CONNECT_FAILED;
        Arrays.fill(tried, null);
        headSent = false;
        bodyBytesSent = false;
        responseStarted = false;
        responseComplete = false;
        skipInformationalTail = false;
        closeAfterResponse = false;
        responseStatus = 0;
        clientHttp10 = req.protocolVersion().majorVersion() == 1 && req.protocolVersion().minorVersion() == 0;
        keepAlive = HttpUtil.isKeepAlive(req) && !context.isDraining();
        headRequest = HttpMethod.HEAD.equals(req.method());

        final DecoderResult decoded = req.decoderResult();
        if (decoded.isFailure()) {
            final Throwable cause = decoded.cause();
            if (cause instanceof TooLongHttpLineException) {
                respondError(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long", true);
            } else if (cause instanceof TooLongHttpHeaderException) {
                respondError(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "header section too large", true);
            } else {
                respondError(HttpResponseStatus.BAD_REQUEST, "malformed request", true);
            }
            return;
        }
        final String violation = RequestChecks.violation(req);
        if (violation != null) {
            respondError(HttpResponseStatus.BAD_REQUEST, violation, true);
            return;
        }
        if (req.headers().size() > limits.maxHeaderCount()) {
            respondError(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields", true);
            return;
        }
        final String host = req.headers().get(HttpHeaderNames.HOST);
        if (host == null && !clientHttp10) {
            respondError(HttpResponseStatus.BAD_REQUEST, "missing Host header", true);
            return;
        }
        final VirtualHosts hosts = context.routing().forPort(localPort);
        location = hosts == null ? null : hosts.route(host, req.uri());
        refreshResilience();
        facts.begin(host, req.uri(), req.method().name());
        if (location == null) {
            serviceRules = hosts == null ? null : hosts.serviceRules(host);
            if (serviceRules != null && serviceRules.cors() != null) {
                requestOrigin = req.headers().get(HttpHeaderNames.ORIGIN);
            }
            respondError(HttpResponseStatus.NOT_FOUND, "no matching service or location", hasBody(req));
            return;
        }
        serviceRules = location.rules();
        if ((location.rules() != ServiceRules.NONE || location.redirectRule() != null) && answerByRule(req, host)) {
            return;
        }
        if (!rateLimiters.isEmpty() && overRateLimit(req)) {
            return;
        }
        final long contentLength = HttpUtil.getContentLength(req, -1L);
        if (contentLength > limits.maxBodyBytes()) {
            respondError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large", true);
            return;
        }
        if (!clientHttp10 && HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER), ctx.voidPromise());
        }
        final String uri = req.uri();
        final String rewritten = location.rewriter().rewrite(uri);
        if (rewritten != uri) {
            req.setUri(rewritten);
        }
        if (context.accessLog().generatesRequestIds() && !req.headers().contains(ProxyHeaders.X_REQUEST_ID)) {
            req.headers().set(ProxyHeaders.X_REQUEST_ID, requestId());
        }
        upgradeRequested = UpgradeSupport.requestedUpgrade(req, clientHttp10);
        context.proxyHeaders().prepareRequest(req, clientIp, secure);
        if (upgradeRequested != null) {
            UpgradeSupport.forwardUpgrade(req.headers(), upgradeRequested);
        }
        ExchangeRules.applyRequest(location.rules().requestHeaders(), req.headers(), facts);
        requestKey.reset(req);
        selectBackendAndConnect();
    }

    /**
     * Picks up the breakers and limiters a reload published (two volatile reads; they are published before the
     * routing table this request was routed with). A new limiter set may trust other proxies: the peer's key is
     * recomputed then, once per reload and connection.
     */
    private void refreshResilience() {
        breakers = context.circuitBreakers();
        final RateLimiters limiters = context.rateLimiters();
        if (limiters != rateLimiters) {
            rateLimiters = limiters;
            if (peerBytes != null) {
                peerKey = ClientAddress.keyOf(peerBytes);
                peerTrusted = limiters.clientAddress().isTrusted(peerBytes);
            }
        }
    }

    /** Answers 429 with Retry-After when the client is over its location's rate; true when it did. */
    private boolean overRateLimit(HttpRequest req) {
        final ClientRateLimiter limiter = rateLimiters.get(location);
        if (limiter == null || peerKey == 0L) {
            return false;
        }
        final long client = peerTrusted
                ? rateLimiters.clientAddress().clientKey(peerKey, req.headers().get(ProxyHeaders.X_FORWARDED_FOR))
                : peerKey;
        final long waitNanos = limiter.acquire(client, System.nanoTime());
        if (waitNanos == 0) {
            return false;
        }
        context.metrics().forPool(location.pool()).recordRateLimited(metricsStripe);
        final boolean close = !keepAlive || hasBody(req) || context.isDraining();
        final HttpResponse response = GeneratedResponse.error(ctx.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS,
                "rate limit exceeded", requestId(), headRequest, close, context.proxyHeaders().proxyByLabel());
        response.headers().setInt(HttpHeaderNames.RETRY_AFTER,
                (int) Math.max(1L, (waitNanos + 999_999_999L) / 1_000_000_000L));
        sendGenerated(response, close);
        return true;
    }

    /** Body bytes of the current request may still arrive: the connection cannot carry another request. */
    private boolean bodyPending() {
        return !requestComplete && request != null && hasBody(request);
    }

    private static boolean hasBody(HttpRequest req) {
        return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
    }

    private void onRequestContent(HttpContent content) {
        final int bytes = content.content().readableBytes();
        requestBodyBytes += bytes;
        final boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            content.release();
            respondError(HttpResponseStatus.BAD_REQUEST, "malformed request body", true);
            return;
        }
        if (requestBodyBytes > limits.maxBodyBytes()) {
            content.release();
            respondError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large", true);
            return;
        }
        if (headSent && upstream != null) {
            upstream.channel().write(content, upstream.channel().voidPromise());
            flushUpstream = true;
            if (bytes > 0) {
                bodyBytesSent = true;
            }
        } else if (responseComplete) {
            // Answered early (for example an error while the body was still arriving): nothing to forward to.
            content.release();
        } else {
            pendingBody.add(content);
        }
        if (last) {
            requestComplete = true;
            if (headSent) {
                requestSentNanos = System.nanoTime();
            }
        }
    }

    // ----------------------------------------------------------------------------------- backend and upstream

    private void selectBackendAndConnect() {
        final ServerPool serverPool = location.pool();
        final BackendSnapshot snapshot = serverPool.snapshot();
        final Selector selector = serverPool.selector();
        int index = Selector.NO_BACKEND;
        boolean circuitOpen = false;
        for (int attempt = 0; attempt <= snapshot.size(); attempt++) {
            index = ServerPool.selectAndAcquire(snapshot, selector, requestKey);
            if (index < 0) {
                break;
            }
            if (!wasTried(snapshot.state(index))) {
                if (admittedByBreaker(snapshot.state(index))) {
                    break;
                }
                circuitOpen = true;
            }
            // A retry must go elsewhere, and an open circuit takes nothing; give the slot back and ask again.
            snapshot.state(index).release();
            index = Selector.NO_BACKEND;
        }
        if (index < 0 && (tries > 0 || circuitOpen)) {
            index = acquireUntried(snapshot);
        }
        if (index < 0) {
            if (circuitOpen && tries == 0) {
                respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "circuit open", bodyPending());
            } else if (tries > 0) {
                respondError(HttpResponseStatus.BAD_GATEWAY, connectFailure, bodyPending());
            } else {
                respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "no live backend", bodyPending());
            }
            return;
        }
        backend = snapshot.state(index);
        slotHeld = true;
        markTried(backend);
        tries++;
        final UpstreamConnection idle = pool.pollIdle(backend);
        if (idle != null) {
            onUpstreamReady(idle);
        } else {
            final Future<UpstreamConnection> connect = pool.connect(backend, upgradeRequested != null);
            pendingConnect = connect;
            connect.addListener(connectListener);
        }
    }

    /** Claims a retry from the pool's budget; logs when the budget says no. */
    private boolean claimRetry() {
        final RetryBudget budget = context.retryBudgets().get(location.pool());
        if (budget == null) {
            return true;
        }
        if (budget.tryStartRetry(location.pool().snapshot())) {
            claimedRetry = budget;
            return true;
        }
        context.metrics().forPool(location.pool()).recordRetryBudgetExhausted(metricsStripe);
        if (LOG.isInfoEnabled()) {
            LOG.info("request {} {} {}: retry budget exhausted ({} retries in progress), not retrying", requestId(),
                    request.method(), request.uri(), budget.activeRetries());
        }
        return false;
    }

    /** A try got no response headers within the per-try timeout: retry an idempotent, replayable request. */
    private void onPerTryTimeout() {
        chargeFailure();
        final BackendState timedOut = backend;
        if (!bodyBytesSent && isIdempotent(request.method()) && tries <= retries) {
            abandonUpstream();
            releaseSlot();
            if (claimRetry()) {
                LOG.info("request {} {} {}: no response from {} within the per-try timeout, retrying (try {})",
                        requestId(), request.method(), request.uri(), timedOut == null ? "?" : timedOut.address(),
                        tries + 1);
                headSent = false;
                selectBackendAndConnect();
                return;
            }
        }
        respondError(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream per-try timeout", false);
    }

    /** RFC 9110 section 9.2.2: a request that may be repeated without changing the outcome. */
    private static boolean isIdempotent(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method)
                || HttpMethod.TRACE.equals(method);
    }

    /** Asks the backend's circuit breaker; remembers it for the outcome when admitted. */
    private boolean admittedByBreaker(BackendState state) {
        if (breakers.isEmpty()) {
            return true;
        }
        final CircuitBreaker candidate = breakers.get(state);
        if (candidate == null) {
            return true;
        }
        final int verdict = candidate.tryAcquire(System.nanoTime());
        if (verdict == CircuitBreaker.REJECT) {
            context.metrics().forBackend(state).recordCircuitRejected(metricsStripe);
            return false;
        }
        breaker = candidate;
        breakerProbe = verdict == CircuitBreaker.ADMIT_PROBE;
        return true;
    }

    /** Reports the current try's outcome to its breaker once: 1 success, -1 failure, 0 no outcome. */
    private void settleBreaker(int outcome) {
        final CircuitBreaker b = breaker;
        if (b == null) {
            return;
        }
        breaker = null;
        if (outcome > 0) {
            b.onSuccess(breakerProbe);
        } else if (outcome < 0) {
            b.onFailure(breakerProbe, System.nanoTime());
        } else {
            b.abandon(breakerProbe);
        }
    }

    /**
     * Deterministic selectors (least-connections, the hash family) keep naming the backend that just failed, or one
     * whose circuit is open; the request then goes to the next eligible backend it has not tried, scanning from an
     * offset that moves with every request so that the redispatched load spreads instead of landing on one
     * neighbour.
     */
    private int acquireUntried(BackendSnapshot snapshot) {
        final int size = snapshot.size();
        final int start = size == 0 ? 0 : (int) Long.remainderUnsigned(connectionId + requestSeq, size);
        for (int k = 0; k < size; k++) {
            final int i = start + k < size ? start + k : start + k - size;
            final BackendState state = snapshot.state(i);
            if (!snapshot.isEligible(i) || wasTried(state) || !state.tryAcquire(snapshot.maxInFlight(i))) {
                continue;
            }
            if (admittedByBreaker(state)) {
                return i;
            }
            state.release();
        }
        return Selector.NO_BACKEND;
    }

    private boolean wasTried(BackendState state) {
        for (int i = 0; i < tries && i < tried.length; i++) {
            if (tried[i] == state) {
                return true;
            }
        }
        return false;
    }

    private void markTried(BackendState state) {
        if (tries == tried.length) {
            tried = Arrays.copyOf(tried, tried.length * 2);
        }
        tried[tries] = state;
    }

    private void onConnectComplete(Future<UpstreamConnection> future) {
        if (future != pendingConnect) {
            // The exchange that asked for this connection is gone; the connection is of no use to anyone yet.
            if (future.isSuccess()) {
                future.getNow().discard();
            }
            return;
        }
        pendingConnect = null;
        if (future.isSuccess()) {
            onUpstreamReady(future.getNow());
        } else {
            onUpstreamFailed(future.cause(), true);
        }
    }

    private void onUpstreamReady(UpstreamConnection connection) {
        upstream = connection;
        connection.bind(this);
        final Channel channel = connection.channel();
        upstreamStartNanos = System.nanoTime();
        channel.write(request, channel.voidPromise());
        headSent = true;
        HttpContent content;
        boolean endWritten = false;
        while ((content = pendingBody.poll()) != null) {
            if (content.content().isReadable()) {
                bodyBytesSent = true;
            }
            endWritten |= content instanceof LastHttpContent;
            channel.write(content, channel.voidPromise());
        }
        if (requestComplete && !endWritten) {
            // A replay: the empty end of this bodiless request went with the earlier attempt. HTTP/2 needs it to end
            // the stream, and HTTP/1.1's encoder to finish the message.
            channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        }
        channel.flush();
        if (requestComplete) {
            requestSentNanos = upstreamStartNanos;
        }
        channel.read();
        if (!requestComplete && channel.isWritable()) {
            ctx.read();
        }
    }

    /**
     * An upstream attempt failed before any response byte reached the client. Retries on another backend when
     * nothing of the request body went out (the request can be replayed exactly), else answers 502/504.
     */
    private void onUpstreamFailed(Throwable cause, boolean connectPhase) {
        connectFailure = UpstreamFailures.connectReason(cause);
        chargeFailure();
        releaseSlot();
        final boolean replayable = !bodyBytesSent;
        if (replayable && tries <= retries && phase == ACTIVE && claimRetry()) {
            if (backend != null) {
                context.metrics().forBackend(backend).recordRetry(metricsStripe);
            }
            if (LOG.isInfoEnabled()) {
                LOG.info("request {} {} {}: {} failed on {} ({}), retrying (try {})", requestId(), request.method(),
                        request.uri(), connectPhase ? "connect" : "exchange", backend == null ? "?" : backend.address(),
                        cause == null ? "closed" : cause.toString(), tries + 1);
            }
            headSent = false;
            selectBackendAndConnect();
            return;
        }
        if (LOG.isInfoEnabled()) {
            LOG.info("request {} {} {}: upstream {} failed after {} tries: {}", requestId(), request.method(),
                    request.uri(), backend == null ? "?" : backend.address(), tries,
                    cause == null ? "closed" : cause.toString());
        }
        if (connectPhase || cause instanceof ConnectException) {
            respondError(HttpResponseStatus.BAD_GATEWAY, connectFailure, bodyPending());
        } else {
            respondError(HttpResponseStatus.BAD_GATEWAY, "upstream closed the connection", bodyPending());
        }
    }

    @Override
    public void onResponseHead(UpstreamConnection connection, HttpResponse response) {
        if (connection != upstream || responseComplete) {
            ReferenceCountUtil.release(response);
            return;
        }
        upstreamReadSinceTick = true;
        final int code = response.status().code();
        if (code == 101 && upgradeRequested != null) {
            beginTunnel(response);
            return;
        }
        if (code < 200) {
            // 1xx from the backend: we already answered 100-continue ourselves and do not relay interim responses
            // (101 needs an Upgrade we never forward). Skip it and its empty tail.
            skipInformationalTail = true;
            ReferenceCountUtil.release(response);
            return;
        }
        responseStarted = true;
        responseStatus = code;
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        final boolean mayHaveBody = !headRequest && code != 204 && code != 304;
        // Draining may have begun after the request arrived: the response still tells the client to go away.
        closeAfterResponse = context.proxyHeaders().prepareResponse(response, keepAlive && !context.isDraining(),
                clientHttp10, mayHaveBody);
        StickyCookies.onResponseHead(location.pool().selector(), requestKey, backend, response, ctx.channel());
        ExchangeRules.applyResponse(location, response, backend == null ? null : backend.address(), secure, facts,
                requestOrigin);
        if (compressor != null) {
            // HTTP/1.0 clients get no chunked framing, which a compressed body of unknown length needs.
            compressor.next(clientHttp10 ? null : location.rules().compression());
        }
        ctx.write(response, ctx.voidPromise());
        flushClient = true;
    }

    @Override
    public void onResponseContent(UpstreamConnection connection, HttpContent content) {
        if (connection != upstream || responseComplete) {
            content.release();
            return;
        }
        final boolean last = content instanceof LastHttpContent;
        upstreamReadSinceTick = true;
        if (upgrading) {
            // The (empty) end of the 101; the tunnel starts once this read is done.
            content.release();
            if (last) {
                ctx.channel().eventLoop().execute(this::startTunnel);
            }
            return;
        }
        if (skipInformationalTail) {
            content.release();
            if (last) {
                skipInformationalTail = false;
            }
            return;
        }
        if (!responseStarted) {
            content.release();
            return;
        }
        responseBytes += content.content().readableBytes();
        ctx.write(content, ctx.voidPromise());
        flushClient = true;
        if (last) {
            completeExchange();
        }
    }

    @Override
    public void onUpgradedBytes(UpstreamConnection connection, ByteBuf bytes) {
        if (connection == upstream && upgrading) {
            tunnelBytes.add(bytes);
        } else {
            bytes.release();
        }
    }

    /** The backend accepted the upgrade: tell the client, then wait for the end of the 101 to start the tunnel. */
    private void beginTunnel(HttpResponse response) {
        upgrading = true;
        responseStarted = true;
        responseStatus = 101;
        final HttpResponse switching = UpgradeSupport.switchingProtocols(response,
                context.proxyHeaders().proxyByLabel());
        ReferenceCountUtil.release(response);
        ctx.writeAndFlush(switching, ctx.voidPromise());
    }

    /**
     * Turns both connections into a byte tunnel: the HTTP codecs leave both pipelines, a {@link TunnelHandler}
     * replaces this handler on the client and the upstream handler on the backend connection. The exchange is over
     * for the proxy's bookkeeping (the backend slot is released, the timers stop); the connection now lives until
     * either side closes.
     */
    private void startTunnel() {
        final UpstreamConnection connection = upstream;
        if (phase != ACTIVE || !upgrading || connection == null || !connection.channel().isActive()
                || !ctx.channel().isActive()) {
            closeClient();
            return;
        }
        final Channel client = ctx.channel();
        final Channel backendChannel = connection.channel();
        responseComplete = true;
        phase = CLOSING;
        busy = false;
        upstream = null;
        if (ticker != null) {
            ticker.cancel(false);
        }
        final BackendState served = backend;
        releaseSlot();
        if (served != null) {
            location.pool().selector().onResponse(served, System.nanoTime() - upstreamStartNanos, true);
        }
        releaseQueued();
        connection.detachForTunnel();

        final ChannelPipeline backendPipeline = backendChannel.pipeline();
        backendPipeline.remove(UpstreamPool.CODEC);
        backendPipeline.replace(UpstreamPool.HANDLER, TunnelHandler.NAME, new TunnelHandler(client));
        final ChannelPipeline clientPipeline = client.pipeline();
        if (clientPipeline.get(ProxyPipeline.FRAMING_GUARD) != null) {
            // After the 101 the client speaks the upgraded protocol, not HTTP/1.1 framing.
            clientPipeline.remove(ProxyPipeline.FRAMING_GUARD);
        }
        clientPipeline.replace(this, TunnelHandler.NAME, new TunnelHandler(backendChannel));
        TunnelHandler.installIdleTimer(clientPipeline, context.config().timeouts().tunnelIdleTimeoutMillis());
        clientPipeline.remove(ProxyPipeline.CODEC);
        if (clientPipeline.get(ResponseCompressor.NAME) != null) {
            clientPipeline.remove(ResponseCompressor.NAME);
        }

        ByteBuf bytes;
        while ((bytes = tunnelBytes.poll()) != null) {
            client.write(bytes, client.voidPromise());
        }
        client.flush();
        client.read();
        backendChannel.read();
    }

    @Override
    public void onUpstreamReadComplete(UpstreamConnection connection) {
        if (flushClient) {
            flushClient = false;
            ctx.flush();
        }
        if (connection == upstream && !responseComplete && ctx.channel().isWritable()) {
            connection.channel().read();
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(UpstreamConnection connection) {
        if (connection == upstream && connection.channel().isWritable() && phase == ACTIVE && !requestComplete
                && headSent) {
            lastInboundNanos = System.nanoTime(); // we were not reading while the upstream was full
            ctx.read();
        }
    }

    @Override
    public void onUpstreamClosed(UpstreamConnection connection, Throwable cause) {
        if (connection != upstream) {
            return;
        }
        upstream = null;
        if (responseComplete || phase != ACTIVE) {
            return;
        }
        if (!responseStarted) {
            if (!staleRetried && !bodyBytesSent && connection.mayHaveGoneStale() && isIdempotent(request.method())) {
                retryOnFreshConnection(cause);
            } else {
                onUpstreamFailed(cause, false);
            }
        } else {
            abortStartedResponse();
        }
    }

    /**
     * The connection went away under a request it had not answered, and it was a reused keep-alive connection or an
     * HTTP/2 connection shared with other streams: the backend most likely closed it for its own reasons (idle
     * timeout, GOAWAY, request limit), not because of this request. Tried again once, on a fresh connection and
     * possibly the same backend, with no retry budget or failure charged; a second loss is an ordinary failure.
     */
    private void retryOnFreshConnection(Throwable cause) {
        staleRetried = true;
        releaseSlot();
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {} {} {}: connection to {} lost before an answer ({}), trying a fresh one", requestId(),
                    request.method(), request.uri(), backend == null ? "?" : backend.address(), cause);
        }
        tries--; // the backend may be picked again
        headSent = false;
        selectBackendAndConnect();
    }

    private void completeExchange() {
        responseComplete = true;
        final BackendState served = backend;
        settleBreaker(responseStatus >= 500 ? -1 : 1);
        releaseSlot();
        recordExchange(served, responseStatus, true);
        if (served != null) {
            location.pool().selector().onResponse(served, System.nanoTime() - upstreamStartNanos, responseStatus < 500);
            // Outlier detection counts runs of upstream 5xx; Fulcrum's own 503/429 never reach this point.
            if (responseStatus >= 500) {
                served.recordServerError();
            } else {
                served.recordSuccess();
            }
        }
        final UpstreamConnection connection = upstream;
        upstream = null;
        if (connection != null) {
            if (upstreamKeepAlive && requestComplete && connection.channel().isActive()) {
                connection.releaseToPool();
            } else {
                connection.discard();
            }
        }
        flushClient = false;
        if (closeAfterResponse || !requestComplete || context.isDraining()) {
            phase = CLOSING;
            busy = false;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            releaseQueued();
        } else {
            ctx.flush();
            endExchange();
        }
    }

    /** Back to waiting for a request head; serves queued pipelined requests first. */
    private void endExchange() {
        phase = IDLE;
        busy = false;
        request = null;
        location = null;
        serviceRules = null;
        requestOrigin = null;
        facts.clear();
        backend = null;
        requestKey.reset(null);
        idleSinceNanos = System.nanoTime();
        if (drainingQueue) {
            return;
        }
        drainingQueue = true;
        try {
            while (!queued.isEmpty() && !(phase == ACTIVE && requestComplete) && phase != CLOSING) {
                dispatch(queued.poll());
            }
        } finally {
            drainingQueue = false;
        }
        if (malformedReason != null && phase == IDLE && queued.isEmpty()) {
            rejectMalformed();
            return;
        }
        if (flushUpstream && upstream != null) {
            // Body parts dispatched from the queue: no read-complete will follow to flush them.
            flushUpstream = false;
            upstream.channel().flush();
        }
        if (phase == IDLE) {
            ctx.read();
        }
    }

    /**
     * Called by {@link RequestFramingGuard} when the client's bytes stop being valid HTTP/1.1 framing. Requests
     * before the bad one are answered first; then (or now, if none is pending) 400 and close.
     */
    void onMalformedInput(String reason) {
        if (phase == CLOSING) {
            return;
        }
        malformedReason = reason;
        if (phase == ACTIVE && !requestComplete) {
            // The body of the request in progress is what went wrong.
            respondError(HttpResponseStatus.BAD_REQUEST, "malformed request: " + reason, true);
        } else if (phase == IDLE && queued.isEmpty()) {
            rejectMalformed();
        }
    }

    private void rejectMalformed() {
        headRequest = false;
        keepAlive = false;
        responseStarted = false;
        if (LOG.isDebugEnabled()) {
            LOG.debug("client {} connection {}: malformed request: {}", clientIp, connectionId, malformedReason);
        }
        respondError(HttpResponseStatus.BAD_REQUEST, "malformed request: " + malformedReason, true);
    }

    // ------------------------------------------------------------------------------------ generated responses

    private void respondError(HttpResponseStatus status, String reason, boolean forceClose) {
        if (responseStarted) {
            closeClient();
            return;
        }
        final boolean close = forceClose || !keepAlive || bodyPending() || context.isDraining();
        abandonUpstream();
        releaseSlot();
        sendGenerated(GeneratedResponse.error(ctx.alloc(), status, reason, requestId(), headRequest, close,
                context.proxyHeaders().proxyByLabel()), close);
    }

    private void respondRedirect(int status, String target, boolean forceClose) {
        final boolean close = forceClose || !keepAlive || context.isDraining();
        sendGenerated(GeneratedResponse.redirect(HttpResponseStatus.valueOf(status), target, close,
                context.proxyHeaders().proxyByLabel()), close);
    }

    /**
     * Answers the request here when a rule says so: HTTPS redirect service, location redirect, CORS preflight.
     * Otherwise remembers what the response rules need and returns false.
     */
    private boolean answerByRule(HttpRequest req, String host) {
        final ServiceRules rules = location.rules();
        if (rules.cors() != null) {
            // Read first: the redirects and errors answered here carry the CORS headers too (a CORS fetch checks a
            // redirect's Access-Control-Allow-Origin before following it).
            requestOrigin = req.headers().get(HttpHeaderNames.ORIGIN);
        }
        final HttpsRedirect https = rules.httpsRedirect();
        if (https != null) {
            final String target = https.location(host, req.uri());
            if (target == null) {
                respondError(HttpResponseStatus.BAD_REQUEST, "no host to redirect to", hasBody(req));
            } else {
                respondRedirect(HttpsRedirect.STATUS, target, hasBody(req));
            }
            return true;
        }
        final LocationRedirect redirect = location.redirectRule();
        if (redirect != null && redirect.matches(req.uri())) {
            respondRedirect(redirect.status(), redirect.location(secure, host, req.uri()), hasBody(req));
            return true;
        }
        if (rules.cors() != null && ExchangeRules.isPreflight(req)) {
            final boolean close = hasBody(req) || !keepAlive || context.isDraining();
            sendGenerated(ExchangeRules.preflight(rules.cors(), req, close, context.proxyHeaders().proxyByLabel()),
                    close);
            return true;
        }
        return false;
    }

    private void sendGenerated(HttpResponse response, boolean close) {
        final ServiceRules rules = serviceRules;
        if (rules != null) {
            ExchangeRules.applyGenerated(rules, response, secure, facts, requestOrigin);
        }
        recordExchange(backend, response.status().code(), false);
        responseStarted = true;
        responseComplete = true;
        releasePendingBody();
        if (close || phase == CLOSING) {
            phase = CLOSING;
            busy = false;
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            releaseQueued();
        } else {
            ctx.writeAndFlush(response, ctx.voidPromise());
            endExchange();
        }
    }

    private String requestId() {
        final HttpRequest req = request;
        if (req != null) {
            final String sent = req.headers().get(ProxyHeaders.X_REQUEST_ID);
            if (sent != null && !sent.isEmpty() && sent.length() <= 128) {
                return sent;
            }
        }
        return Long.toHexString(connectionId) + '-' + requestSeq;
    }

    // ------------------------------------------------------------------------------------- metrics, access log

    /**
     * Counts a finished exchange (its backend's counters, else its location's, else the unrouted ones) and writes
     * its access log line when sampled. Lock-free; the counters allocate nothing.
     */
    private void recordExchange(BackendState served, int status, boolean proxied) {
        final long now = System.nanoTime();
        final ProxyMetrics metrics = context.metrics();
        final Location at = location;
        final RequestMetrics counters = served != null ? metrics.forBackend(served)
                : at != null && at.pool() != null ? metrics.forPool(at.pool()) : metrics.unrouted();
        counters.recordStatus(metricsStripe, status);
        if (proxied && served != null) {
            counters.recordLatency(metricsStripe, now - upstreamStartNanos);
        }
        final AccessLog log = context.accessLog();
        if (log.shouldLog(at == null ? null : at.serviceName(), status)) {
            writeAccessLine(log, served, status, now);
        }
    }

    private void writeAccessLine(AccessLog log, BackendState served, int status, long now) {
        final AccessRecord r = accessRecord;
        final HttpRequest req = request;
        r.epochMillis = System.currentTimeMillis();
        r.requestId = req == null ? Long.toHexString(connectionId) + '-' + (requestSeq + 1) : requestId();
        r.clientIp = clientIp;
        r.method = req == null ? "-" : req.method().name();
        r.uri = req == null ? "-" : clientUri;
        r.protocol = req == null ? "-" : req.protocolVersion().text();
        r.status = status;
        r.responseBytes = responseBytes;
        r.durationNanos = req == null ? 0 : now - exchangeStartNanos;
        r.service = location == null ? null : location.serviceName();
        r.location = location == null ? null : location.path();
        r.backend = served == null ? null : served.address().url();
        r.userAgent = req == null ? null : req.headers().get(HttpHeaderNames.USER_AGENT);
        r.referer = req == null ? null : req.headers().get(HttpHeaderNames.REFERER);
        log.log(r);
    }

    // ----------------------------------------------------------------------------------------------- timers

    /** The connection's periodic deadline check: idle keep-alive, slow request head, slow upstream response. */
    @Override
    public void run() {
        final long now = System.nanoTime();
        if (upstreamReadSinceTick) {
            upstreamReadSinceTick = false;
            lastUpstreamReadNanos = now;
        }
        if (phase == IDLE) {
            if (headBytesSeen) {
                if (now - headStartNanos >= context.requestHeaderTimeoutNanos()) {
                    headBytesSeen = false;
                    keepAlive = false;
                    sendGenerated(GeneratedResponse.error(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT,
                            "request header timeout", Long.toHexString(connectionId) + '-' + (requestSeq + 1), false,
                            true, context.proxyHeaders().proxyByLabel()), true);
                }
            } else if (context.isDraining() || now - idleSinceNanos >= context.clientIdleTimeoutNanos()) {
                closeClient();
            }
        } else if (phase == ACTIVE && !requestComplete && headSent && upstream != null
                && upstream.channel().isWritable() && now - lastInboundNanos >= context.clientIdleTimeoutNanos()) {
            // Slow-body defence: we are reading the client and nothing has come for a whole idle timeout.
            respondError(HttpResponseStatus.REQUEST_TIMEOUT, "request body timeout", true);
        } else if (context.perTryTimeoutNanos() > 0 && phase == ACTIVE && headSent && requestComplete
                && !responseStarted && now - requestSentNanos >= context.perTryTimeoutNanos()
                && now - requestSentNanos < context.responseTimeoutNanos()) {
            onPerTryTimeout();
        } else if (phase == ACTIVE && responseStarted && !responseComplete && upstream != null
                && ctx.channel().isWritable() && now - lastUpstreamReadNanos >= context.upstreamIdleTimeoutNanos()) {
            LOG.info("request {} {} {}: {} sent no response bytes for {} ms, closing", requestId(), request.method(),
                    request.uri(), backend == null ? "?" : backend.address(),
                    TimeUnit.NANOSECONDS.toMillis(context.upstreamIdleTimeoutNanos()));
            abortStartedResponse();
        } else if (phase == ACTIVE && headSent && requestComplete && !responseStarted
                && now - requestSentNanos >= context.responseTimeoutNanos()) {
            chargeFailure();
            LOG.info("request {} {} {}: no response from {} within {} ms", requestId(), request.method(),
                    request.uri(), backend == null ? "?" : backend.address(),
                    TimeUnit.NANOSECONDS.toMillis(context.responseTimeoutNanos()));
            respondError(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream response timeout", false);
        }
    }

    /** Drain support: closes the connection now if no request is in progress. Runs on the event loop. */
    public void closeIfIdle() {
        if (phase == IDLE && !headBytesSeen) {
            closeClient();
        }
    }

    // -------------------------------------------------------------------------------------------- clean-up

    private void releaseSlot() {
        settleBreaker(0);
        if (claimedRetry != null) {
            claimedRetry.retryEnded();
            claimedRetry = null;
        }
        if (slotHeld) {
            slotHeld = false;
            backend.release();
        }
    }

    private void abandonUpstream() {
        pendingConnect = null;
        final UpstreamConnection connection = upstream;
        upstream = null;
        if (connection != null) {
            connection.discard();
        }
    }

    private void releasePendingBody() {
        HttpContent content;
        while ((content = pendingBody.poll()) != null) {
            content.release();
        }
    }

    private void releaseQueued() {
        releasePendingBody();
        Object msg;
        while ((msg = queued.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void releaseTunnelBytes() {
        ByteBuf bytes;
        while ((bytes = tunnelBytes.poll()) != null) {
            bytes.release();
        }
    }

    /** An upstream try failed: charged to the backend (health, outlier detection) and its circuit breaker. */
    private void chargeFailure() {
        if (backend != null) {
            backend.recordFailure();
        }
        settleBreaker(-1);
    }

    /** Part of the response is already with the client: it can only learn of the upstream failure by the close. */
    private void abortStartedResponse() {
        chargeFailure();
        closeClient();
    }

    private void closeClient() {
        phase = CLOSING;
        busy = false;
        abandonUpstream();
        releaseSlot();
        releaseQueued();
        releaseTunnelBytes();
        ctx.close();
    }
}
