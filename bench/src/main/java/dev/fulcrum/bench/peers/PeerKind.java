package dev.fulcrum.bench.peers;

import dev.fulcrum.bench.cli.FulcrumMain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The proxies a comparison can run, and how each is configured alike: one worker / one I/O thread, 127.0.0.1 only,
 * round robin over the same origins, keep-alive to clients and origins, no access log.
 *
 * <p>Stateless.
 */
public enum PeerKind {
    FULCRUM("fulcrum") {
        @Override
        String absentReason() {
            return null; // it is this jar
        }

        @Override
        String version() {
            return "this build (child JVM, `run --config`, io_threads 1)";
        }

        @Override
        List<String> command(Path work, int port, List<String> origins, int fulcrumWarmupSeconds) throws IOException {
            final StringBuilder yaml = new StringBuilder();
            yaml.append("bind: 127.0.0.1\nport: ").append(port).append("\nio_threads: 1\nalgorithm: round-robin\n");
            yaml.append("backends:\n");
            for (String origin : origins) {
                yaml.append("  - url: http://").append(origin).append('\n');
            }
            final Path config = Files.writeString(work.resolve("fulcrum.yaml"), yaml, StandardCharsets.UTF_8);
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // The launcher script's flags: Agrona reads jdk.internal.misc.Unsafe; JDK 24+ must allow Netty's access.
            command.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
            if (Runtime.version().feature() >= 24) {
                command.add("--sun-misc-unsafe-memory-access=allow");
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FulcrumMain.class.getName(), "run",
                    "--config", config.toString(), "--warmup", Integer.toString(fulcrumWarmupSeconds)));
            return command;
        }
    },
    NGINX("nginx") {
        @Override
        String absentReason() {
            return Executables.find("nginx") == null ? "nginx is not installed (apt-get install nginx)" : null;
        }

        @Override
        String version() {
            final String line = Executables.firstLine(List.of(Executables.find("nginx").toString(), "-v"));
            return line == null ? "unknown" : line.replace("nginx version: ", "");
        }

        @Override
        List<String> command(Path work, int port, List<String> origins, int fulcrumWarmupSeconds) throws IOException {
            final StringBuilder servers = new StringBuilder();
            for (String origin : origins) {
                servers.append("        server ").append(origin).append(";\n");
            }
            // proxy_buffers of 16k match HAProxy's default buffer size; temp paths stay in the work directory.
            final String conf = String.format(Locale.ROOT, """
                    worker_processes 1;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/nginx-error.log warn;
                    events { worker_connections 8192; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/nginx-client-body;
                        proxy_temp_path %1$s/nginx-proxy-temp;
                        fastcgi_temp_path %1$s/nginx-fastcgi;
                        uwsgi_temp_path %1$s/nginx-uwsgi;
                        scgi_temp_path %1$s/nginx-scgi;
                        keepalive_timeout 300s;
                        keepalive_requests 1000000;
                        upstream origins {
                    %2$s        keepalive 64;
                            keepalive_requests 1000000;
                        }
                        server {
                            listen 127.0.0.1:%3$d backlog=4096;
                            location / {
                                proxy_pass http://origins;
                                proxy_http_version 1.1;
                                proxy_set_header Connection "";
                                proxy_buffer_size 16k;
                                proxy_buffers 8 16k;
                                proxy_max_temp_file_size 0;
                            }
                        }
                    }
                    """, work, servers, port);
            final Path config = Files.writeString(work.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
            return List.of(Executables.find("nginx").toString(), "-p", work.toString(), "-e",
                    work.resolve("nginx-error.log").toString(), "-c", config.toString());
        }
    },
    HAPROXY("haproxy") {
        @Override
        String absentReason() {
            return Executables.find("haproxy") == null ? "haproxy is not installed (apt-get install haproxy)" : null;
        }

        @Override
        String version() {
            final String line = Executables.firstLine(List.of(Executables.find("haproxy").toString(), "-v"));
            return line == null ? "unknown" : line;
        }

        @Override
        List<String> command(Path work, int port, List<String> origins, int fulcrumWarmupSeconds) throws IOException {
            final StringBuilder servers = new StringBuilder();
            for (int i = 0; i < origins.size(); i++) {
                servers.append("    server o").append(i + 1).append(' ').append(origins.get(i)).append('\n');
            }
            final String cfg = String.format(Locale.ROOT, """
                    global
                        nbthread 1
                        maxconn 8192
                    defaults
                        mode http
                        option http-keep-alive
                        timeout connect 5s
                        timeout client 60s
                        timeout server 60s
                        timeout http-keep-alive 300s
                    frontend proxy
                        bind 127.0.0.1:%d
                        default_backend origins
                    backend origins
                        balance roundrobin
                        http-reuse always
                    %s""", port, servers);
            final Path config = Files.writeString(work.resolve("haproxy.cfg"), cfg, StandardCharsets.UTF_8);
            return List.of(Executables.find("haproxy").toString(), "-db", "-f", config.toString());
        }
    };

    private final String label;

    PeerKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Why this proxy cannot run here, or null when it can. */
    abstract String absentReason();

    /** Name and version as the report shows them. */
    abstract String version();

    /** Writes the proxy's configuration into {@code work} and returns the command that serves it on {@code port}. */
    abstract List<String> command(Path work, int port, List<String> origins, int fulcrumWarmupSeconds)
            throws IOException;

    public static PeerKind fromLabel(String text) {
        for (PeerKind kind : values()) {
            if (kind.label.equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown proxy '" + text + "' (known: fulcrum, nginx, haproxy)");
    }
}
