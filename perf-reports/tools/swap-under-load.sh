#!/usr/bin/env bash
# swap-under-load.sh - latency of proxied requests while the admin API adds and removes backends.
#
# Starts nginx as origin (one worker, NPORTS ports answering "ok"), fulcrum run with an admin API
# (API key auth), then for each phase runs wrk (closed loop, --latency) against the proxy:
#   baseline : no admin traffic
#   churn    : a Python keep-alive client does CHANGES_PER_S admin changes per second (half POST adding a
#              backend on one of the nginx ports, half DELETE removing it again), each one a new snapshot
# and writes one CSV row per phase with wrk's percentiles and the admin changes actually made.
# Everything runs on 127.0.0.1; every process started is stopped by PID on exit.
# Usage: perf-reports/tools/swap-under-load.sh [duration_s] [changes_per_s]   (from the repository root,
#        after `mvn -B -ntp -pl bench -am package -DskipTests`; run it under /tmp/fulcrum-mvn.lock)
set -Eeuo pipefail
DURATION=${1:-20}
CHANGES_PER_S=${2:-100}
NPORTS=50
WORK=$(mktemp -d /tmp/swap-under-load.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
BASE=$(( ( $(free_port) % 20000 ) + 30000 ))
{
  echo "worker_processes 1; daemon off; pid $WORK/nginx.pid; error_log $WORK/nginx.err;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; keepalive_requests 1000000; server {"
  for i in $(seq 0 $((NPORTS - 1))); do echo "  listen 127.0.0.1:$((BASE + i));"; done
  echo '  location / { return 200 "ok\n"; } } }'
} > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK" & PIDS+=($!)

PORT=$(free_port); ADMIN=$(free_port); KEY="swap-bench-key-0123456789"
cat > "$WORK/fulcrum.yaml" <<YAML
bind: 127.0.0.1
port: $PORT
api: {port: $ADMIN}
auth:
  api_keys: [{name: bench, key: $KEY, role: admin}]
services:
  - name: app
    locations:
      - path: /
        lb_policy: round-robin
        backends:
          - url: http://127.0.0.1:$BASE
          - url: http://127.0.0.1:$((BASE + 1))
YAML
java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/fulcrum.jar \
     dev.fulcrum.transport.cli.RunCommand --config "$WORK/fulcrum.yaml" > "$WORK/ready" 2> "$WORK/fulcrum.err" &
PIDS+=($!)
for _ in $(seq 100); do grep -q "fulcrum ready" "$WORK/ready" 2>/dev/null && break; sleep 0.1; done
grep -q "fulcrum ready" "$WORK/ready" || { echo "fulcrum did not start"; cat "$WORK/fulcrum.err"; exit 1; }

cat > "$WORK/churn.py" <<'PY'
import http.client, json, sys, time
admin, key, base, nports, rate, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
conn = http.client.HTTPConnection("127.0.0.1", int(admin), timeout=5)
hdr = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
done = errors = 0
start = time.monotonic(); i = 0
while time.monotonic() - start < duration:
    due = start + done / rate
    now = time.monotonic()
    if due > now:
        time.sleep(due - now)
    url = "http://127.0.0.1:%d" % (base + 2 + (i // 2) % (nports - 2))
    method = "POST" if i % 2 == 0 else "DELETE"
    conn.request(method, "/api/backends", body=json.dumps({"url": url}), headers=hdr)
    r = conn.getresponse(); r.read()
    if r.status not in (201, 204):
        errors += 1
    done += 1; i += 1
elapsed = time.monotonic() - start
print("%d %d %.1f" % (done, errors, done / elapsed))
PY

SHA=$(git rev-parse --short HEAD)
OUT=perf-reports/swap-under-load/$(date -u +%Y%m%dT%H%M%SZ).csv
echo "date,sha,phase,duration_s,wrk_threads,connections,requests_per_s,p50_ms,p90_ms,p99_ms,max_ms,non2xx_or_errors,admin_changes,admin_errors,admin_changes_per_s" > "$OUT"
run_phase() {
  local phase=$1
  wrk -t1 -c8 -d2s "http://127.0.0.1:$PORT/" > /dev/null   # warm-up
  local churn_out="0 0 0"
  if [ "$phase" = churn ]; then
    python3 "$WORK/churn.py" "$ADMIN" "$KEY" "$BASE" "$NPORTS" "$CHANGES_PER_S" "$DURATION" > "$WORK/churn.out" & local cp=$!
  fi
  wrk -t1 -c16 -d"${DURATION}s" --latency -s <(cat <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
LUA
) "http://127.0.0.1:$PORT/" > "$WORK/wrk-$phase.out"
  if [ "$phase" = churn ]; then wait "$cp"; churn_out=$(cat "$WORK/churn.out"); fi
  read -r _ rps p50 p90 p99 max errs < <(grep '^RESULT' "$WORK/wrk-$phase.out")
  read -r changes cerr crate <<< "$churn_out"
  echo "$(date -u +%FT%TZ),$SHA,$phase,$DURATION,1,16,$rps,$p50,$p90,$p99,$max,$errs,$changes,$cerr,$crate" >> "$OUT"
}
run_phase baseline
run_phase churn
run_phase baseline
run_phase churn
cat "$OUT"
echo "written: $OUT"
