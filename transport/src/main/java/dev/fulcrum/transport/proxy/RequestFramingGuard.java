package dev.fulcrum.transport.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;

/**
 * A strict framing check of the client's byte stream, in front of the HTTP codec: it follows request heads,
 * Content-Length bodies and chunked bodies byte by byte and stops the connection at the first shape that proxies
 * and origins have been known to read differently (request smuggling, RFC 9112 section 11.2).
 *
 * <p>Netty's decoder is lenient where a proxy must not be: it joins obs-folded header lines, and its framing is
 * only as strict as its configuration. Rejected here, each with a reason: obs-fold (a header line starting with SP
 * or HT), bare LF, bare CR, control characters in the head, empty header names, whitespace before the colon,
 * invalid header-name characters, a second Host, Content-Length together with Transfer-Encoding, more than one Content-Length,
 * a Content-Length that is not a plain decimal number, chunk sizes that are not plain hex (signs, "0x", spaces,
 * overflow), chunk data not followed by CRLF, and malformed trailers.
 *
 * <p>When a head or body is rejected, the bytes of earlier complete requests in the same read are still passed on
 * (they were valid and may be pipelined), the rest is released, and {@link ProxyExchangeHandler#onMalformedInput}
 * answers 400 and closes once earlier responses are out. Nothing of the rejected request reaches the codec, so
 * nothing of it can reach a backend (except the head of a chunked request whose body turns bad later: a streaming
 * proxy has already forwarded that head, and the upstream connection is then discarded).
 *
 * <p>Cost: one pass over head and chunk-size bytes with no allocation; body bytes are skipped by count, not read.
 * Confined to one connection's event loop. Also tells the exchange handler of every read (request-header timeout). {@link #passThrough()} turns it off for protocols that follow an
 * upgrade (WebSocket), whose bytes are not HTTP/1.1.
 */
final class RequestFramingGuard extends ChannelInboundHandlerAdapter implements ByteProcessor {
    // Head states.
    private static final int HEAD_START = 0;
    private static final int HEAD_START_LF = 1;
    private static final int REQUEST_LINE = 2;
    private static final int REQUEST_LINE_LF = 3;
    private static final int FIELD_START = 4;
    private static final int FIELD_NAME = 5;
    private static final int FIELD_VALUE = 6;
    private static final int FIELD_LF = 7;
    private static final int HEAD_END_LF = 8;
    // Body states.
    private static final int BODY_FIXED = 9;
    private static final int CHUNK_SIZE = 10;
    private static final int CHUNK_SIZE_MORE = 11;
    private static final int CHUNK_BWS = 12;
    private static final int CHUNK_EXT = 13;
    private static final int CHUNK_SIZE_LF = 14;
    private static final int CHUNK_DATA = 15;
    private static final int CHUNK_DATA_CR = 16;
    private static final int CHUNK_DATA_LF = 17;
    private static final int TRAILER_START = 18;
    private static final int TRAILER_FIELD = 19;
    private static final int TRAILER_LF = 20;
    private static final int TRAILER_END_LF = 21;
    // Terminal states.
    private static final int FAILED = 22;
    private static final int PASS_THROUGH = 23;

    private static final int KIND_OTHER = 0;
    private static final int KIND_CONTENT_LENGTH = 1;
    private static final int KIND_TRANSFER_ENCODING = 2;
    private static final int KIND_HOST = 3;
    private static final byte[] HOST = "host".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING =
            "transfer-encoding".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** 2^60: far above any body worth accepting, and every hex digit can be added without overflow checks. */
    private static final long MAX_SIZE = 1L << 60;
    /** RFC 9110 section 5.6.2 tchar, as a lookup table. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final ProxyExchangeHandler exchange;

    private int state = HEAD_START;
    private String failure;
    // Per head.
    private int nameLength;
    private boolean maybeContentLength;
    private boolean maybeTransferEncoding;
    private boolean maybeHost;
    private boolean sawHost;
    private int kind;
    private int lengthDigits;
    private boolean lengthDone;
    private long contentLength;
    private boolean sawContentLength;
    private boolean sawTransferEncoding;
    // Per body.
    private long remaining;
    private boolean sawHexDigit;

    RequestFramingGuard(ProxyExchangeHandler exchange) {
        this.exchange = exchange;
    }

    /** Stops checking: the connection no longer carries HTTP/1.1 requests (after an upgrade). */
    void passThrough() {
        if (state != FAILED) {
            state = PASS_THROUGH;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The request-header timeout runs from a request's first byte (slowloris defence), the idle timeout from
        // the last response: the exchange learns of every read here, the first handler that sees the bytes.
        exchange.onInboundBytes();
        if (state == PASS_THROUGH || !(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        final ByteBuf buf = (ByteBuf) msg;
        if (state == FAILED) {
            buf.release();
            return;
        }
        final int start = buf.readerIndex();
        final int end = buf.writerIndex();
        // Where the request in progress began within this buffer; everything before it is complete and valid.
        int requestStart = state == HEAD_START ? start : -1;
        int i = start;
        while (i < end) {
            if (state == BODY_FIXED || state == CHUNK_DATA) {
                final int take = (int) Math.min(remaining, end - i);
                i += take;
                remaining -= take;
                if (remaining == 0) {
                    if (state == BODY_FIXED) {
                        state = HEAD_START;
                        requestStart = i;
                    } else {
                        state = CHUNK_DATA_CR;
                    }
                }
                continue;
            }
            final int stop = buf.forEachByte(i, end - i, this);
            if (stop < 0) {
                break;
            }
            if (state == FAILED) {
                reject(ctx, buf, start, requestStart);
                return;
            }
            i = stop + 1;
            if (state == HEAD_START) {
                // The scan stops in HEAD_START only when a request has just ended.
                requestStart = i;
            }
        }
        ctx.fireChannelRead(buf);
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf buf, int start, int requestStart) {
        if (requestStart > start) {
            ctx.fireChannelRead(buf.retainedSlice(start, requestStart - start));
        }
        ReferenceCountUtil.release(buf);
        exchange.onMalformedInput(failure);
    }

    /**
     * One byte of a head, a chunk-size line or a trailer. Returns false to stop the scan: on failure, when a body
     * to skip by count begins, and when a request ends (so the caller can note where the next one starts).
     */
    @Override
    public boolean process(byte value) {
        final int b = value & 0xff;
        switch (state) {
            case HEAD_START:
                // RFC 9112 section 2.2: empty lines before a request line may be ignored.
                if (b == '\r') {
                    state = HEAD_START_LF;
                    return true;
                }
                if (b == ' ' || b == '\t') {
                    return fail("whitespace before the request line");
                }
                startHead();
                return requestLine(b);
            case HEAD_START_LF:
                return b == '\n' ? to(HEAD_START) : fail("bare CR");
            case REQUEST_LINE:
                return requestLine(b);
            case REQUEST_LINE_LF:
                return b == '\n' ? to(FIELD_START) : fail("bare CR in the request line");
            case FIELD_START:
                return fieldStart(b);
            case FIELD_NAME:
                return fieldName(b);
            case FIELD_VALUE:
                return fieldValue(b);
            case FIELD_LF:
                return b == '\n' ? endField() : fail("bare CR in a header line");
            case HEAD_END_LF:
                return b == '\n' ? endHead() : fail("bare CR at the end of the head");
            case CHUNK_SIZE:
            case CHUNK_SIZE_MORE:
            case CHUNK_BWS:
            case CHUNK_EXT:
            case CHUNK_SIZE_LF:
                return chunkSize(b);
            case CHUNK_DATA_CR:
                return b == '\r' ? to(CHUNK_DATA_LF) : fail("chunk data longer than its size");
            case CHUNK_DATA_LF:
                return b == '\n' ? startChunk() : fail("chunk data not followed by CRLF");
            case TRAILER_START:
                if (b == '\r') {
                    return to(TRAILER_END_LF);
                }
                if (b < 128 && TCHAR[b]) {
                    return to(TRAILER_FIELD);
                }
                return fail(b == ' ' || b == '\t' ? "obs-fold in a trailer" : "invalid trailer field");
            case TRAILER_FIELD:
                if (b == '\r') {
                    return to(TRAILER_LF);
                }
                return isControl(b) ? fail("control character in a trailer") : true;
            case TRAILER_LF:
                return b == '\n' ? to(TRAILER_START) : fail("bare CR in a trailer");
            case TRAILER_END_LF:
                if (b != '\n') {
                    return fail("bare CR after the trailers");
                }
                state = HEAD_START;
                return false;
            default:
                return fail("unexpected framing state");
        }
    }

    private void startHead() {
        state = REQUEST_LINE;
        sawContentLength = false;
        sawTransferEncoding = false;
        sawHost = false;
        contentLength = 0;
    }

    private boolean requestLine(int b) {
        if (b == '\r') {
            return to(REQUEST_LINE_LF);
        }
        if (b == '\n') {
            return fail("bare LF in the request line");
        }
        if (isControl(b)) {
            return fail("control character in the request line");
        }
        return true;
    }

    private boolean fieldStart(int b) {
        if (b == '\r') {
            return to(HEAD_END_LF);
        }
        if (b == ' ' || b == '\t') {
            return fail("obs-fold (header line starting with whitespace)");
        }
        if (b == '\n') {
            return fail("bare LF in the head");
        }
        if (b == ':') {
            return fail("empty header name");
        }
        nameLength = 0;
        maybeContentLength = true;
        maybeTransferEncoding = true;
        maybeHost = true;
        state = FIELD_NAME;
        return fieldName(b);
    }

    private boolean fieldName(int b) {
        if (b == ':') {
            kind = maybeContentLength && nameLength == CONTENT_LENGTH.length ? KIND_CONTENT_LENGTH
                    : maybeTransferEncoding && nameLength == TRANSFER_ENCODING.length ? KIND_TRANSFER_ENCODING
                    : maybeHost && nameLength == HOST.length ? KIND_HOST
                    : KIND_OTHER;
            if (kind == KIND_CONTENT_LENGTH) {
                if (sawContentLength) {
                    return fail("more than one Content-Length");
                }
                sawContentLength = true;
                lengthDigits = 0;
                lengthDone = false;
            } else if (kind == KIND_TRANSFER_ENCODING) {
                sawTransferEncoding = true;
            } else if (kind == KIND_HOST) {
                if (sawHost) {
                    return fail("more than one Host header");
                }
                sawHost = true;
            }
            return to(FIELD_VALUE);
        }
        if (b == ' ' || b == '\t') {
            return fail("whitespace between header name and colon");
        }
        if (b >= 128 || !TCHAR[b]) {
            return fail("invalid character in a header name");
        }
        final int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
        maybeContentLength &= nameLength < CONTENT_LENGTH.length && CONTENT_LENGTH[nameLength] == lower;
        maybeTransferEncoding &= nameLength < TRANSFER_ENCODING.length && TRANSFER_ENCODING[nameLength] == lower;
        maybeHost &= nameLength < HOST.length && HOST[nameLength] == lower;
        nameLength++;
        return true;
    }

    private boolean fieldValue(int b) {
        if (b == '\r') {
            return to(FIELD_LF);
        }
        if (b == '\n') {
            return fail("bare LF in a header line");
        }
        if (isControl(b)) {
            return fail("control character in a header value");
        }
        if (kind == KIND_CONTENT_LENGTH) {
            return contentLengthByte(b);
        }
        return true;
    }

    private boolean contentLengthByte(int b) {
        if (b >= '0' && b <= '9' && !lengthDone) {
            contentLength = contentLength * 10 + (b - '0');
            if (++lengthDigits > 18) {
                return fail("Content-Length too large");
            }
            return true;
        }
        if (b == ' ' || b == '\t') {
            lengthDone = lengthDigits > 0;
            return true;
        }
        return fail("invalid Content-Length (expected one decimal number)");
    }

    private boolean endField() {
        if (kind == KIND_CONTENT_LENGTH && lengthDigits == 0) {
            return fail("invalid Content-Length (expected one decimal number)");
        }
        kind = KIND_OTHER;
        return to(FIELD_START);
    }

    private boolean endHead() {
        if (sawTransferEncoding && sawContentLength) {
            return fail("Content-Length together with Transfer-Encoding");
        }
        if (sawTransferEncoding) {
            // Whether chunked is the final coding is the codec's check (it rejects anything else for requests).
            return startChunk();
        }
        if (contentLength > 0) {
            remaining = contentLength;
            state = BODY_FIXED;
            return false;
        }
        state = HEAD_START;
        return false;
    }

    private boolean startChunk() {
        state = CHUNK_SIZE;
        remaining = 0;
        sawHexDigit = false;
        return true;
    }

    private boolean chunkSize(int b) {
        final int digit = hexValue(b);
        switch (state) {
            case CHUNK_SIZE:
            case CHUNK_SIZE_MORE:
                if (digit >= 0) {
                    if (remaining >= MAX_SIZE) {
                        return fail("chunk size too large");
                    }
                    remaining = (remaining << 4) | digit;
                    sawHexDigit = true;
                    return to(CHUNK_SIZE_MORE);
                }
                if (!sawHexDigit) {
                    return fail("invalid chunk size");
                }
                if (b == ' ' || b == '\t') {
                    return to(CHUNK_BWS);
                }
                if (b == ';') {
                    return to(CHUNK_EXT);
                }
                if (b == '\r') {
                    return to(CHUNK_SIZE_LF);
                }
                return fail("invalid chunk size");
            case CHUNK_BWS:
                if (b == ' ' || b == '\t') {
                    return true;
                }
                return b == ';' ? to(CHUNK_EXT) : fail("invalid chunk size");
            case CHUNK_EXT:
                if (b == '\r') {
                    return to(CHUNK_SIZE_LF);
                }
                return isControl(b) ? fail("control character in a chunk extension") : true;
            default: // CHUNK_SIZE_LF
                if (b != '\n') {
                    return fail("bare CR after a chunk size");
                }
                if (remaining == 0) {
                    return to(TRAILER_START);
                }
                state = CHUNK_DATA;
                return false;
        }
    }

    private static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** CTL characters other than HT, and DEL (RFC 9110 section 5.5: not allowed in field values). */
    private static boolean isControl(int b) {
        return (b < 0x20 && b != '\t') || b == 0x7f;
    }

    private boolean to(int next) {
        state = next;
        return true;
    }

    private boolean fail(String reason) {
        failure = reason;
        state = FAILED;
        return false;
    }
}
