package dev.fulcrum.transport.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP client for what HTTP clients will not send: pipelining, malformed requests, 100-continue by hand.
 *
 * <p>Used from one test thread.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public Socket socket() {
        return socket;
    }

    /** Reads one response: head, then a Content-Length or chunked body (none for bodiless statuses or HEAD). */
    public Response readResponse(boolean headRequest) throws IOException {
        final String head = readHead();
        final Response response = new Response(head);
        if (headRequest || response.status < 200 || response.status == 204 || response.status == 304) {
            return response.withBody("");
        }
        final String length = response.header("content-length");
        if (length != null) {
            return response.withBody(new String(in.readNBytes(Integer.parseInt(length.trim())), StandardCharsets.ISO_8859_1));
        }
        if ("chunked".equalsIgnoreCase(response.header("transfer-encoding"))) {
            final ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                final int size = Integer.parseInt(readLine().trim().split(";")[0], 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(size));
                readLine();
            }
            return response.withBody(body.toString(StandardCharsets.ISO_8859_1));
        }
        return response.withBody(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    /** True when the peer closed the connection (EOF) within the socket timeout. */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String readHead() throws IOException {
        final StringBuilder head = new StringBuilder();
        String line;
        while (!(line = readLine()).isEmpty()) {
            head.append(line).append('\n');
        }
        return head.toString();
    }

    private String readLine() throws IOException {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c == -1 && line.length() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A parsed response. */
    public static final class Response {
        public final int status;
        public final String head;
        public String body;

        Response(String head) {
            this.head = head;
            final String first = head.substring(0, head.indexOf('\n'));
            this.status = Integer.parseInt(first.split(" ")[1]);
        }

        Response withBody(String b) {
            this.body = b;
            return this;
        }

        public String header(String name) {
            for (String line : head.split("\n")) {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
