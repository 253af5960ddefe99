#!/usr/bin/env bash
# tls-h2-bench.sh - TLS handshakes per second and HTTP/2 throughput with h2load, against Fulcrum, nginx and HAProxy
# in the same run. Loopback only, every proxy pinned to one core, bounded durations.
#
# Layout (2-core box): CPU $CPU_CLIENT: h2load and the origin (nginx, 1 worker, `return 200` of a fixed body)
#                      CPU $CPU_PROXY : the proxy under test (1 worker / 1 io thread), TLS terminated there
# Every proxy forwards to the same origin over plain HTTP/1.1 keep-alive, and serves the same self-signed ECDSA
# P-256 certificate (made here with openssl) with TLS 1.2/1.3 and ALPN h2,http/1.1. Each keeps enough idle upstream
# connections for the streams in flight (Fulcrum's default max_idle 1024, nginx `keepalive 1024`, HAProxy
# `http-reuse always`): with fewer, a proxy closes connections after their response and reconnects for later ones.
#
# Measurements, per repetition and target (targets rotated each repetition):
#   handshake: $HS_CONNS new TLS connections (h2load -c N -n N: one client per connection, one HTTP/1.1 GET each,
#              no session resumption), $HS_BATCHES batches; reported as connections/s = N / h2load's wall time,
#              median over batches.
#   h2-tiny  : h2load over HTTP/2, $H2_CLIENTS connections x $H2_STREAMS concurrent streams, $DURATION s after
#              $WARMUP s warm-up, 2-byte body -> req/s.
#   h2-16k   : the same with a 16 KiB body -> req/s and MB/s.
# Output: a markdown report (environment, git sha, exact commands, table of medians) in perf-reports/tls-h2/.
# Everything runs in a temp dir; every process started is stopped by PID on exit.
set -Eeuo pipefail

REPS=${REPS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-3}
HS_CONNS=${HS_CONNS:-500}; HS_BATCHES=${HS_BATCHES:-5}
H2_CLIENTS=${H2_CLIENTS:-8}; H2_STREAMS=${H2_STREAMS:-32}
CPU_CLIENT=${CPU_CLIENT:-0}; CPU_PROXY=${CPU_PROXY:-1}
ORIGIN_PORT=${ORIGIN_PORT:-9101}; FULCRUM_PORT=${FULCRUM_PORT:-8443}; NGINX_PORT=${NGINX_PORT:-8444}
HAPROXY_PORT=${HAPROXY_PORT:-8445}
TARGETS=${TARGETS:-fulcrum,nginx,haproxy}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT_DIR=${OUT_DIR:-$REPO/perf-reports/tls-h2}

for tool in h2load nginx haproxy openssl taskset curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y nghttp2-client nginx haproxy openssl)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/tls-h2-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers (user nobody) read the origin's 16 KiB file from here
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PIDS=()
cleanup() {
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    local p=${PIDS[$i]}
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

wait_port() {  # wait_port PORT [tls]
  for _ in $(seq 1 600); do
    if [[ "${2:-}" == tls ]]; then
      curl -sk -o /dev/null --max-time 1 "https://127.0.0.1:$1/tiny" && return 0
    else
      curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/tiny" && return 0
    fi
    sleep 0.1
  done
  echo "port $1 did not answer" >&2; return 1
}

# Build the jar now (./fulcrum rebuilds it when sources are newer), not while a target is being timed.
(cd "$REPO" && ./fulcrum --help > /dev/null)

# ------------------------------------------------------------------ certificate, origin
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=bench.test" \
  -addext "subjectAltName=DNS:bench.test,IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$WORK/key.pem" -out "$WORK/key8.pem"
cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/haproxy.pem"
head -c 16384 /dev/zero | tr '\0' 'x' > "$WORK/16k"

mkdir -p "$WORK/origin" "$WORK/nginx"
cat > "$WORK/origin/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $WORK/origin/nginx.pid; error_log $WORK/origin/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$ORIGIN_PORT backlog=4096;
    location = /tiny { return 200 "ok"; }
    location = /16k { alias $WORK/16k; default_type application/octet-stream; }
  }
}
EOF
taskset -c "$CPU_CLIENT" nginx -p "$WORK/origin" -c "$WORK/origin/nginx.conf" &
PIDS+=($!)
wait_port "$ORIGIN_PORT"

# ------------------------------------------------------------------ proxies
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off; keepalive_requests 1000000; http2_max_concurrent_streams 1024;
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 1024; }
  server {
    listen 127.0.0.1:$NGINX_PORT ssl http2 backlog=4096;
    ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off;
    location / {
      proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_buffer_size 16k; proxy_buffers 8 16k;
    }
  }
}
EOF
cat > "$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8000
  tune.ssl.default-dh-param 2048
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT ssl crt $WORK/haproxy.pem alpn h2,http/1.1 ssl-min-ver TLSv1.2 no-tls-tickets
  default_backend be
backend be
  server origin 127.0.0.1:$ORIGIN_PORT
EOF
cat > "$WORK/fulcrum.yaml" <<EOF
transport: auto
io_threads: 1
bind: 127.0.0.1
limits: {max_client_connections: 20000}
services:
  - port: $FULCRUM_PORT
    tls: {enabled: true, cert_file: $WORK/cert.pem, key_file: $WORK/key8.pem}
    locations:
      - backends: [{url: "http://127.0.0.1:$ORIGIN_PORT"}]
EOF

start_target() {  # start_target NAME -> PID in TARGET_PID, port in TARGET_PORT
  case "$1" in
    fulcrum)
      (cd "$REPO" && exec taskset -c "$CPU_PROXY" ./fulcrum run --config "$WORK/fulcrum.yaml" --warmup 10) \
        > "$WORK/fulcrum.log" 2>&1 &
      TARGET_PID=$!; TARGET_PORT=$FULCRUM_PORT;;
    nginx)
      taskset -c "$CPU_PROXY" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" > "$WORK/nginx.log" 2>&1 &
      TARGET_PID=$!; TARGET_PORT=$NGINX_PORT;;
    haproxy)
      taskset -c "$CPU_PROXY" haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
      TARGET_PID=$!; TARGET_PORT=$HAPROXY_PORT;;
  esac
  PIDS+=("$TARGET_PID")
  wait_port "$TARGET_PORT" tls
}

stop_target() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

H2LOAD="taskset -c $CPU_CLIENT timeout 120 h2load"
HS_CMD="h2load --h1 -t 1 -c $HS_CONNS -n $HS_CONNS -m 1 https://127.0.0.1:PORT/tiny"
H2_CMD="h2load -t 1 -c $H2_CLIENTS -m $H2_STREAMS -D $DURATION --warm-up-time $WARMUP https://127.0.0.1:PORT/PATH"

echo "target,rep,metric,value" > "$WORK/results.csv"
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

IFS=, read -r -a TARGET_LIST <<< "$TARGETS"
for rep in $(seq 1 "$REPS"); do
  n=${#TARGET_LIST[@]}
  for k in $(seq 0 $((n - 1))); do
    target=${TARGET_LIST[$(( (k + rep - 1) % n ))]}
    start_target "$target"
    port=$TARGET_PORT
    # Warm-up over both protocols (Fulcrum's own JIT warm-up covers plain HTTP/1.1 only).
    $H2LOAD --h1 -t 1 -c 50 -n 2000 -m 1 "https://127.0.0.1:$port/tiny" > /dev/null 2>&1 || true
    $H2LOAD -t 1 -c "$H2_CLIENTS" -m "$H2_STREAMS" -D 5 "https://127.0.0.1:$port/16k" > /dev/null 2>&1 || true
    hs=()
    for b in $(seq 1 "$HS_BATCHES"); do
      out=$($H2LOAD --h1 -t 1 -c "$HS_CONNS" -n "$HS_CONNS" -m 1 "https://127.0.0.1:$port/tiny" 2>&1)
      echo "$out" > "$WORK/hs-$target-$rep-$b.txt"
      ok=$(echo "$out" | awk '/^requests:/ {print $8}')
      secs=$(echo "$out" | awk '/^finished in/ {v=$3; sub(/,$/,"",v); if (v ~ /ms$/) {sub(/ms$/,"",v); v=v/1000} else sub(/s$/,"",v); print v}')
      [[ "$ok" == "$HS_CONNS" ]] || echo "warning: $target handshake batch $b: $ok of $HS_CONNS succeeded" >&2
      hs+=("$(awk -v n="$ok" -v s="$secs" 'BEGIN {printf "%.1f", n / s}')")
    done
    echo "$target,$rep,handshakes_per_s,$(printf '%s\n' "${hs[@]}" | median)" >> "$WORK/results.csv"
    grep -E '^(TLS Protocol|Cipher|Server Temp Key):' "$WORK/hs-$target-$rep-1.txt" | paste -sd' ' \
      | sed "s/^/$target: /" > "$WORK/tls-$target.txt" || true
    for path in tiny 16k; do
      out=$($H2LOAD -t 1 -c "$H2_CLIENTS" -m "$H2_STREAMS" -D "$DURATION" --warm-up-time "$WARMUP" \
            "https://127.0.0.1:$port/$path" 2>&1)
      echo "$out" > "$WORK/h2-$path-$target-$rep.txt"
      echo "$out" | grep -q "Application protocol: h2" || echo "warning: $target did not negotiate h2" >&2
      rps=$(echo "$out" | awk '/^finished in/ {print $4}')
      mbs=$(echo "$out" | awk '/^finished in/ {v=$6; if (v ~ /GB/) m=1024; else if (v ~ /KB/) m=1/1024; else m=1; sub(/[KMG]?B\/s$/,"",v); printf "%.1f", v*m}')
      failed=$(echo "$out" | awk '/^requests:/ {print $10}')
      non2xx=$(echo "$out" | awk '/^status codes:/ {print $7 + $9}')
      echo "$target,$rep,h2_${path}_req_per_s,$rps" >> "$WORK/results.csv"
      echo "$target,$rep,h2_${path}_mb_per_s,$mbs" >> "$WORK/results.csv"
      echo "$target,$rep,h2_${path}_failed,$failed" >> "$WORK/results.csv"
      echo "$target,$rep,h2_${path}_4xx5xx,$non2xx" >> "$WORK/results.csv"
    done
    stop_target "$TARGET_PID"
  done
done

# ------------------------------------------------------------------ report
mkdir -p "$OUT_DIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$OUT_DIR/$STAMP.md"
cp "$WORK/results.csv" "$OUT_DIR/$STAMP.csv"
engine=$(grep -o -m1 'TLS engine .*' "$WORK/fulcrum.log" | sed 's/, listeners.*//' | head -1 || true)
transport=$(grep -o -m1 'transport [a-z_]* (auto[^)]*)' "$WORK/fulcrum.log" | head -1 || true)
{
  echo "# TLS handshakes and HTTP/2 throughput: Fulcrum, nginx, HAProxy"
  echo
  echo "Generated by \`bench/scripts/tls-h2-bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); raw rows: [$STAMP.csv]($STAMP.csv)."
  echo
  echo "## Environment"
  echo
  echo "- git: \`$(cd "$REPO" && git rev-parse --short HEAD)\`$(cd "$REPO" && git diff --quiet HEAD -- . ':!perf-reports' || echo ' (with uncommitted changes)')"
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores); kernel $(uname -r)"
  echo "- JDK: $(java -version 2>&1 | head -1); Fulcrum: ${transport:-transport not logged}, ${engine:-TLS engine not logged}"
  echo "- $(nginx -v 2>&1 | sed 's/^nginx version: //'); $(haproxy -v | head -1 | cut -d' ' -f1-3); $(h2load --version | head -1); $(openssl version | cut -d' ' -f1-2)"
  echo "- load average before the run: $LOAD_BEFORE"
  echo "- placement: h2load and the origin nginx (1 worker, \`return 200 \"ok\"\` and a 16 KiB file) on CPU $CPU_CLIENT; each proxy alone on CPU $CPU_PROXY (1 worker / \`nbthread 1\` / \`io_threads: 1\`), started, measured and stopped in turn, order rotated per repetition"
  echo "- TLS: self-signed ECDSA P-256 certificate, no session resumption (caches and tickets off where configurable; h2load resumes nothing); negotiated: $(cat "$WORK"/tls-*.txt 2>/dev/null | sort -u | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
  echo
  echo "## Commands"
  echo
  echo '```bash'
  echo "flock -o /tmp/fulcrum-mvn.lock env REPS=$REPS DURATION=$DURATION WARMUP=$WARMUP HS_CONNS=$HS_CONNS HS_BATCHES=$HS_BATCHES H2_CLIENTS=$H2_CLIENTS H2_STREAMS=$H2_STREAMS bench/scripts/tls-h2-bench.sh"
  echo "# handshakes, $HS_BATCHES batches per target and repetition (connections/s = $HS_CONNS / wall time):"
  echo "taskset -c $CPU_CLIENT $HS_CMD"
  echo "# HTTP/2 throughput, PATH = tiny (2 B) and 16k (16 KiB):"
  echo "taskset -c $CPU_CLIENT $H2_CMD"
  echo '```'
  echo
  echo "## Results (median over $REPS repetitions; min-max in brackets)"
  echo
  echo "| target | TLS handshakes/s (new connection + 1 GET) | h2 tiny req/s | h2 16 KiB req/s | h2 16 KiB MB/s | h2 failed / non-2xx |"
  echo "|---|---|---|---|---|---|"
  for t in "${TARGET_LIST[@]}"; do
    cell() {
      local vals; vals=$(awk -F, -v t="$t" -v m="$1" '$1==t && $3==m {print $4}' "$WORK/results.csv")
      local med min max
      med=$(echo "$vals" | median); min=$(echo "$vals" | sort -g | head -1); max=$(echo "$vals" | sort -g | tail -1)
      printf "%s [%s-%s]" "$(printf '%.0f' "$med")" "$(printf '%.0f' "$min")" "$(printf '%.0f' "$max")"
    }
    errs=$(awk -F, -v t="$t" '$1==t && ($3 ~ /_failed$/ || $3 ~ /_4xx5xx$/) {s+=$4} END {print s+0}' "$WORK/results.csv")
    echo "| $t | $(cell handshakes_per_s) | $(cell h2_tiny_req_per_s) | $(cell h2_16k_req_per_s) | $(cell h2_16k_mb_per_s) | $errs |"
  done
  echo
  echo "One core per proxy and a shared 2-core machine: compare the rows with each other, not with other machines."
  echo "The handshake figure includes one proxied HTTP/1.1 GET per connection and h2load's own TLS client cost on"
  echo "the other core."
} > "$REPORT"
cat "$REPORT"
echo "work dir: $WORK"
