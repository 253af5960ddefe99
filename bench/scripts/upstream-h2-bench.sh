#!/usr/bin/env bash
# upstream-h2-bench.sh - what speaking HTTP/2 to the backend costs, against HTTP/1.1 keep-alive to the same backend,
# for Fulcrum and HAProxy in the same run. Loopback only, every proxy pinned to one core, bounded durations.
#
# Layout (2-core box): CPU $CPU_CLIENT: wrk and the origin (nginx, 1 worker, one HTTP/1.1 listener and one h2c
#                      listener with prior knowledge, both `return 200` of a fixed body)
#                      CPU $CPU_PROXY : the proxy under test (1 io thread / 1 thread)
# Each proxy listens on two ports: one forwards over HTTP/1.1 keep-alive, one over h2c (Fulcrum `protocol: h2c`,
# HAProxy `proto h2`). Clients speak HTTP/1.1 (wrk, $CONNS connections), so only the upstream protocol differs.
#
# Per repetition, target and upstream protocol (order rotated each repetition): $WARMUP s warm-up, then $DURATION s
# measured -> req/s, p50/p99 from wrk --latency, and the proxy's CPU µs per request from /proc/<pid>/stat
# (utime+stime over the measured window). Medians over $REPS repetitions.
# Output: a markdown report (environment, git sha, commands, table of medians) in perf-reports/upstream-h2/.
set -Eeuo pipefail

REPS=${REPS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-3}; CONNS=${CONNS:-50}
CPU_CLIENT=${CPU_CLIENT:-0}; CPU_PROXY=${CPU_PROXY:-1}
ORIGIN_H1=${ORIGIN_H1:-9111}; ORIGIN_H2C=${ORIGIN_H2C:-9112}
FULCRUM_H1=${FULCRUM_H1:-8181}; FULCRUM_H2=${FULCRUM_H2:-8182}; HAPROXY_H1=${HAPROXY_H1:-8183}; HAPROXY_H2=${HAPROXY_H2:-8184}
TARGETS=${TARGETS:-fulcrum,haproxy}; PAYLOADS=${PAYLOADS:-tiny,16k}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT_DIR=${OUT_DIR:-$REPO/perf-reports/upstream-h2}

for tool in wrk nginx taskset curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx haproxy)" >&2; exit 2; }
done
if [[ ",$TARGETS," == *,haproxy,* ]] && ! command -v haproxy >/dev/null; then
  echo "haproxy not installed: skipping it" >&2; TARGETS=${TARGETS//haproxy/}; TARGETS=${TARGETS//,,/,}
fi

WORK=$(mktemp -d /tmp/upstream-h2-bench.XXXXXX)
chmod 755 "$WORK"
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

wait_port() {  # wait_port PORT
  for _ in $(seq 1 600); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/tiny" && return 0
    sleep 0.1
  done
  echo "port $1 did not answer" >&2; return 1
}

(cd "$REPO" && ./fulcrum --help > /dev/null)   # build the jar now, not while a target is timed

head -c 16384 /dev/zero | tr '\0' 'x' > "$WORK/16k"
mkdir -p "$WORK/origin"
cat > "$WORK/origin/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $WORK/origin/nginx.pid; error_log $WORK/origin/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  http2_max_concurrent_streams 1024;
  server {
    listen 127.0.0.1:$ORIGIN_H1 backlog=4096;
    listen 127.0.0.1:$ORIGIN_H2C http2 backlog=4096;
    location = /tiny { return 200 "ok"; }
    location = /16k { alias $WORK/16k; default_type application/octet-stream; }
  }
}
EOF
taskset -c "$CPU_CLIENT" nginx -p "$WORK/origin" -c "$WORK/origin/nginx.conf" &
PIDS+=($!)
wait_port "$ORIGIN_H1"

cat > "$WORK/fulcrum.yaml" <<EOF
transport: auto
io_threads: 1
bind: 127.0.0.1
limits: {max_client_connections: 20000}
services:
  - name: h1
    port: $FULCRUM_H1
    locations:
      - backends: [{url: "http://127.0.0.1:$ORIGIN_H1"}]
  - name: h2c
    port: $FULCRUM_H2
    locations:
      - backends: [{url: "http://127.0.0.1:$ORIGIN_H2C", protocol: h2c}]
EOF
cat > "$WORK/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend h1
  bind 127.0.0.1:$HAPROXY_H1
  default_backend h1
frontend h2
  bind 127.0.0.1:$HAPROXY_H2
  default_backend h2
backend h1
  server origin 127.0.0.1:$ORIGIN_H1
backend h2
  server origin 127.0.0.1:$ORIGIN_H2C proto h2
EOF

start_target() {  # start_target NAME -> TARGET_PID
  case "$1" in
    fulcrum)
      (cd "$REPO" && exec taskset -c "$CPU_PROXY" ./fulcrum run --config "$WORK/fulcrum.yaml" --warmup 10) \
        > "$WORK/fulcrum.log" 2>&1 &
      TARGET_PID=$!; wait_port "$FULCRUM_H1"; wait_port "$FULCRUM_H2";;
    haproxy)
      taskset -c "$CPU_PROXY" haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
      TARGET_PID=$!; wait_port "$HAPROXY_H1"; wait_port "$HAPROXY_H2";;
  esac
  PIDS+=("$TARGET_PID")
}
stop_target() {
  kill -TERM "$TARGET_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$TARGET_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$TARGET_PID" 2>/dev/null || true
}
port_of() {  # port_of TARGET PROTO
  case "$1:$2" in
    fulcrum:h1) echo "$FULCRUM_H1";; fulcrum:h2c) echo "$FULCRUM_H2";;
    haproxy:h1) echo "$HAPROXY_H1";; haproxy:h2c) echo "$HAPROXY_H2";;
  esac
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

ROWS="$WORK/rows.csv"
echo "rep,target,upstream,payload,rps,p50_ms,p99_ms,cpu_us_per_req" > "$ROWS"
IFS=, read -r -a target_list <<< "$TARGETS"
IFS=, read -r -a payload_list <<< "$PAYLOADS"
TICK=$(getconf CLK_TCK)
for rep in $(seq 1 "$REPS"); do
  order=("${target_list[@]}")
  if (( rep % 2 == 0 )); then order=($(printf '%s\n' "${target_list[@]}" | tac)); fi
  for target in "${order[@]}"; do
    [[ -z "$target" ]] && continue
    start_target "$target"
    for payload in "${payload_list[@]}"; do
      protos=(h1 h2c); (( rep % 2 == 0 )) && protos=(h2c h1)
      for proto in "${protos[@]}"; do
        url="http://127.0.0.1:$(port_of "$target" "$proto")/$payload"
        taskset -c "$CPU_CLIENT" wrk -t1 -c"$CONNS" -d"${WARMUP}s" "$url" > /dev/null
        t0=$(cpu_ticks "$TARGET_PID")
        out=$(taskset -c "$CPU_CLIENT" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "$url")
        t1=$(cpu_ticks "$TARGET_PID")
        rps=$(awk '/Requests\/sec/{print $2}' <<< "$out")
        errors=$(awk '/Non-2xx|Socket errors/{print}' <<< "$out")
        [[ -n "$errors" ]] && echo "$target $proto $payload: $errors" >&2
        to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else {sub(/s$/,"",v); print v*1000} }'; }
        p50=$(to_ms "$(awk '/ 50%/{print $2}' <<< "$out")"); p99=$(to_ms "$(awk '/ 99%/{print $2}' <<< "$out")")
        cpu=$(awk -v d=$((t1 - t0)) -v hz="$TICK" -v r="$rps" -v s="$DURATION" 'BEGIN{printf "%.2f", d / hz * 1e6 / (r * s)}')
        echo "$rep,$target,$proto,$payload,$rps,$p50,$p99,$cpu" | tee -a "$ROWS"
      done
    done
    stop_target
  done
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT_DIR"
REPORT="$OUT_DIR/$STAMP.md"
cp "$ROWS" "$OUT_DIR/$STAMP.csv"
{
  echo "# HTTP/2 to the backend: cost against HTTP/1.1 keep-alive ($STAMP)"
  echo
  echo "- Command: \`REPS=$REPS DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS bench/scripts/upstream-h2-bench.sh\`"
  echo "- Git: $(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet || echo ' (uncommitted changes)')"
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores); kernel $(uname -r); load before: $LOAD_BEFORE"
  echo "- Client: wrk, 1 thread, $CONNS HTTP/1.1 connections, on CPU $CPU_CLIENT with the origin (nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker)."
  echo "  Proxy on CPU $CPU_PROXY: Fulcrum (1 io thread), HAProxy $(haproxy -v 2>/dev/null | head -1 | awk '{print $3}') (nbthread 1)."
  echo "- Upstream: \`h1\` = HTTP/1.1 keep-alive pool; \`h2c\` = cleartext HTTP/2 with prior knowledge (Fulcrum \`protocol: h2c\`, HAProxy \`proto h2\`)."
  echo "- Medians of $REPS repetitions of ${DURATION} s after ${WARMUP} s warm-up; CPU = proxy utime+stime per request. Raw rows: \`$STAMP.csv\`."
  echo
  echo "| target | upstream | payload | req/s | p50 ms | p99 ms | CPU µs/req |"
  echo "|---|---|---|---|---|---|---|"
  tail -n +2 "$ROWS" | awk -F, '{k=$2","$3","$4; n[k]++; r[k,n[k]]=$5; a[k,n[k]]=$6; b[k,n[k]]=$7; c[k,n[k]]=$8; if(!(k in seen)){seen[k]=1; keys[++m]=k}}
    function med(arr,k,cnt,   i,j,t,v){ for(i=1;i<=cnt;i++) v[i]=arr[k,i]+0; for(i=1;i<=cnt;i++) for(j=i+1;j<=cnt;j++) if(v[j]<v[i]){t=v[i];v[i]=v[j];v[j]=t}; return v[int((cnt+1)/2)] }
    END{ for(i=1;i<=m;i++){k=keys[i]; split(k,p,","); printf "| %s | %s | %s | %.0f | %.2f | %.2f | %.2f |\n", p[1], p[2], p[3], med(r,k,n[k]), med(a,k,n[k]), med(b,k,n[k]), med(c,k,n[k]) } }' | sort
} > "$REPORT"
echo "report: $REPORT"
cat "$REPORT"
