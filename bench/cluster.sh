#!/usr/bin/env bash
# The several-host run of issue 19, on one machine: hosts are Linux network namespaces on a bridge.
#
#   lb      10.77.0.10  HAProxy: TLS (a throwaway self-signed certificate), health checks on /healthz
#   web1    10.77.0.21  gunicorn (gunicorn.conf.py, config.settings.production), pinned to CPU 0
#   web2    10.77.0.22  the same, pinned to CPU 1
#   worker  10.77.0.31  manage.py worker
#   db1     10.77.0.11  PostgreSQL 15 primary (a throwaway cluster under $WORK)
#   db2     10.77.0.12  PostgreSQL 15 streaming replica (pg_basebackup -R); DATABASE_REPLICA_URL
#   redis   10.77.0.13  redis-server (cache, sessions, rate-limit counters)
#   the load generator (bench/load.py) runs in the root namespace, 10.77.0.1 on the bridge.
#
# Phases (bench/load.py --host https://10.77.0.10, the same users and duration each time):
#   1. one web host, read mix (anonymous visitors only);
#   2. two web hosts, read mix, same load: the throughput ratio;
#   3. two web hosts with submitters; web2 and the worker are killed (SIGKILL, every process of the
#      host) a third of the way in and restarted 15 s later. Reported: throughput, p50/p95/p99,
#      errors inside and outside the kill window (with times), and whether every submission the load
#      generator saw accepted is in the primary afterwards.
#
# Usage (as root; installs haproxy with apt-get if missing):
#   bench/cluster.sh                               # 60 s per phase, 50,000 initiatives
#   DURATION=20 bench/cluster.sh                   # a smoke run
#   INITIATIVES=100000 USERS=80 bench/cluster.sh
# The seeded primary's data directory is kept in $SEED_CACHE (and copied for each run), so the second
# run does not seed again; delete it to reseed. Everything else (namespaces, bridge, processes,
# $WORK) is removed on exit, also on error or Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
DURATION="${DURATION:-60}"
USERS="${USERS:-80}"
INITIATIVES="${INITIATIVES:-50000}"
BASE="${BASE:-5000}"                     # initiatives seeded by seed_demo before grow.py copies them
WEB_WORKERS="${WEB_WORKERS:-3}"           # gunicorn processes per web host (2 x its one core + 1)
DBNAME=wsis_cluster
WORK="${WORK:-/tmp/wsis-cluster}"
SEED_CACHE="${SEED_CACHE:-/tmp/wsis-cluster-seed-$INITIATIVES}"
RESULTS="${RESULTS:-$ROOT/var/cluster-$(date -u +%Y%m%dT%H%M%SZ)}"
P=wsisc                                 # prefix of namespaces and interfaces
BR=${P}br0
NET=10.77.0
LB=$NET.10 DB1=$NET.11 DB2=$NET.12 REDIS=$NET.13 WEB1=$NET.21 WEB2=$NET.22 WORKER=$NET.31
HOSTS="lb db1 db2 redis web1 web2 worker"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
ip_of() { case $1 in lb) echo $LB;; db1) echo $DB1;; db2) echo $DB2;; redis) echo $REDIS;;
  web1) echo $WEB1;; web2) echo $WEB2;; worker) echo $WORKER;; esac; }
in_ns() { local host=$1; shift; ip netns exec "$P-$host" "$@"; }
as_pg() { local host=$1; shift; ip netns exec "$P-$host" runuser -u postgres -- "$@"; }

[ "$(id -u)" = 0 ] || { echo "bench/cluster.sh needs root (network namespaces)." >&2; exit 2; }
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 binaries not found in $PGBIN." >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is required." >&2; exit 2; }
if ! command -v haproxy >/dev/null; then
  log "installing haproxy (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
# The load generator needs Locust (the project's `bench` extra). Without it in $PYTHON's environment, a
# virtualenv of its own is made once beside the seed cache (Locust and psycopg only) and kept.
LOADGEN_PYTHON="$PYTHON"
if ! "$PYTHON" -c "import locust" 2>/dev/null; then
  LOADGEN_PYTHON="${LOADGEN_VENV:-/tmp/wsis-cluster-loadgen}/bin/python"
  if ! "$LOADGEN_PYTHON" -c "import locust, psycopg" 2>/dev/null; then
    log "making the load generator's virtualenv (locust, psycopg)"
    "$(command -v python3)" -m venv "$(dirname "$(dirname "$LOADGEN_PYTHON")")"
    "$LOADGEN_PYTHON" -m pip install -q "locust>=2.30,<3" "psycopg[binary]>=3.2"
  fi
fi
# The Debian package starts a haproxy service with the stock configuration in the root namespace;
# this script starts its own in the lb namespace and touches nothing else.

# --- teardown: every process in our namespaces, the namespaces, the bridge, the work directory ---
teardown() {
  local rc=$?
  trap - EXIT INT TERM
  log "tearing down"
  for host in $HOSTS; do
    if ip netns list | grep -qw "$P-$host"; then
      for pid in $(ip netns pids "$P-$host" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    fi
  done
  sleep 1
  for host in $HOSTS; do
    ip netns del "$P-$host" 2>/dev/null || true
  done
  ip link del "$BR" 2>/dev/null || true
  rm -rf "$WORK"
  local left
  left="$(ip netns list | grep -c "^$P-" || true)"
  log "teardown done: $left namespaces left; results in $RESULTS"
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT TERM

# --- network ---
# A leftover of an interrupted run (the trap did not run: kill -9): remove it first.
for host in $HOSTS; do
  for pid in $(ip netns pids "$P-$host" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  ip netns del "$P-$host" 2>/dev/null || true
done
ip link del "$BR" 2>/dev/null || true
rm -rf "$WORK"
mkdir -p "$WORK" "$RESULTS"
chmod 755 "$WORK"

log "network: bridge $BR $NET.1/24 and namespaces $HOSTS"
ip link add "$BR" type bridge
ip addr add "$NET.1/24" dev "$BR"
ip link set "$BR" up
for host in $HOSTS; do
  ip netns add "$P-$host"
  ip link add "$P-$host-h" type veth peer name eth0 netns "$P-$host"
  ip link set "$P-$host-h" master "$BR" up
  in_ns "$host" ip addr add "$(ip_of "$host")/24" dev eth0
  in_ns "$host" ip link set eth0 up
  in_ns "$host" ip link set lo up
done
# (No ping here: the first connection to the primary, over the bridge, checks the network.)

# --- PostgreSQL primary (throwaway) ---
pg_start() {  # host datadir
  local host=$1 data=$2
  mkdir -p "$WORK/sock-$host" && chown postgres "$WORK/sock-$host"
  as_pg "$host" "$PGBIN/pg_ctl" -D "$data" -l "$WORK/sock-$host/postgres.log" -w -t 120 \
    -o "-c listen_addresses=$(ip_of "$host") -c unix_socket_directories=$WORK/sock-$host -c port=5432" start >/dev/null
}
pg_stop() { as_pg "$1" "$PGBIN/pg_ctl" -D "$2" -m fast -w stop >/dev/null; }

init_primary() {  # datadir
  local data=$1
  mkdir -p "$data" && chown postgres "$data" && chmod 700 "$data"
  as_pg db1 "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$data/postgresql.conf" <<EOF
max_connections = 200
shared_buffers = 256MB
effective_cache_size = 2GB
wal_level = replica
max_wal_senders = 5
hot_standby = on
synchronous_commit = on
EOF
  echo "host all,replication all $NET.0/24 trust" >>"$data/pg_hba.conf"
}

PRIMARY="$WORK/pg-primary"
if [ -f "$SEED_CACHE/.seeded" ]; then
  log "primary: a copy of the seeded data directory $SEED_CACHE ($(du -sh "$SEED_CACHE" | cut -f1))"
else
  log "seeding $SEED_CACHE: seed_demo --initiatives $BASE, then bench/grow.py to $INITIATIVES (once; kept)"
  rm -rf "$SEED_CACHE"
  mkdir -p "$(dirname "$SEED_CACHE")"
  init_primary "$SEED_CACHE"
  pg_start db1 "$SEED_CACHE"
  # The seed runs from the root namespace (over the bridge), with the local settings grow.py uses.
  nice -n 19 "$PYTHON" "$ROOT/bench/grow.py" --pg-url "postgres://postgres@$DB1:5432" --database "$DBNAME" \
    --initiatives "$INITIATIVES" --base "$BASE" | tee "$RESULTS/seed.log"
  pg_stop db1 "$SEED_CACHE"
  touch "$SEED_CACHE/.seeded"
fi
cp -a "$SEED_CACHE" "$PRIMARY"
rm -f "$PRIMARY/.seeded" "$PRIMARY/postmaster.pid"
pg_start db1 "$PRIMARY"
PSQL_PRIMARY=("$PGBIN/psql" -X -q -At -h "$DB1" -U postgres -d "$DBNAME")
db_size="$("${PSQL_PRIMARY[@]}" -c "SELECT pg_database_size('$DBNAME')")"
n_initiatives="$("${PSQL_PRIMARY[@]}" -c "SELECT count(*) FROM stocktaking_initiative")"
log "primary up: $n_initiatives initiatives, pg_database_size $db_size bytes"

# --- streaming replica ---
REPLICA="$WORK/pg-replica"
mkdir -p "$REPLICA" && chown postgres "$REPLICA" && chmod 700 "$REPLICA"
log "replica: pg_basebackup -R from the primary"
as_pg db2 "$PGBIN/pg_basebackup" -h "$DB1" -U postgres -D "$REPLICA" -R -X stream -c fast
pg_start db2 "$REPLICA"
for _ in $(seq 1 60); do
  state="$("${PSQL_PRIMARY[@]}" -c "SELECT state FROM pg_stat_replication LIMIT 1" || true)"
  [ "$state" = streaming ] && break
  sleep 1
done
[ "$state" = streaming ] || { echo "the replica is not streaming (state: '$state')" >&2; exit 1; }
log "replica streaming; in recovery: $("$PGBIN/psql" -X -At -h "$DB2" -U postgres -d "$DBNAME" -c 'SELECT pg_is_in_recovery()')"

# --- Redis ---
in_ns redis redis-server --bind "$REDIS" --port 6379 --save "" --appendonly no --protected-mode no \
  --daemonize no --logfile "$WORK/redis.log" &
for _ in $(seq 1 30); do in_ns redis redis-cli -h "$REDIS" ping >/dev/null 2>&1 && break; sleep 0.5; done

# --- the application's environment (production settings) ---
SECRET="cluster-$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-not-for-any-real-site-0123456789"
APP_ENV=(
  DJANGO_SETTINGS_MODULE=config.settings.production
  SECRET_KEY="$SECRET"
  ALLOWED_HOSTS="$LB,$WEB1,$WEB2"
  SITE_URL="https://$LB"
  CACHE_URL="redis://$REDIS:6379/0"
  DATABASE_URL="postgres://postgres@$DB1:5432/$DBNAME"
  DATABASE_REPLICA_URL="postgres://postgres@$DB2:5432/$DBNAME"
  SECURE_SSL_REDIRECT=0                 # HAProxy terminates TLS; the health checks are plain HTTP
  FORWARDED_ALLOW_IPS="$LB"
  CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR
  MEDIA_ROOT="$WORK/media"
  PROMETHEUS_MULTIPROC_DIR=            # set per host below
  WORKER_HEARTBEAT_MAX_AGE=20           # a killed worker's job is requeued 20 s after its last beat
  GUNICORN_WORKERS="$WEB_WORKERS"
  # Every simulated visitor comes from one address (the load generator): without these, the
  # per-address limits (30 CSV exports an hour) would refuse the load, not the servers.
  RATE_LIMIT_EXPORT=100000/m RATE_LIMIT_API_WRITE=100000/m RATE_LIMIT_CLASSIFY=100000/m
  AXES_FAILURE_LIMIT=100000
  PATH="$PATH" LANG=C.UTF-8 HOME=/root
)
mkdir -p "$WORK/media"

start_web() {  # host cpu
  local host=$1 cpu=$2
  mkdir -p "$WORK/prom-$host"
  (cd "$ROOT" && in_ns "$host" env -i "${APP_ENV[@]}" PROMETHEUS_MULTIPROC_DIR="$WORK/prom-$host" \
    GUNICORN_BIND="$(ip_of "$host"):8000" \
    taskset -c "$cpu" "$PYTHON" -m gunicorn config.wsgi -c gunicorn.conf.py \
    >>"$RESULTS/$host.log" 2>&1 &)
}
start_worker() {
  (cd "$ROOT" && in_ns worker env -i "${APP_ENV[@]}" "$PYTHON" manage.py worker \
    >>"$RESULTS/worker.log" 2>&1 &)
}
wait_healthy() {  # host; prints the time it answered
  local host=$1 url
  url="http://$(ip_of "$host"):8000/healthz"
  for _ in $(seq 1 240); do
    if curl -sf -o /dev/null -H "Host: $LB" "$url"; then date +%s.%N; return 0; fi
    sleep 0.25
  done
  echo "web host $host did not become healthy" >&2
  return 1
}

log "migrations check and static files"
(cd "$ROOT" && env -i "${APP_ENV[@]}" "$PYTHON" manage.py migrate --check >/dev/null) \
  || { echo "the seeded database has unapplied migrations" >&2; exit 1; }
# Recorded, not required: with SECURE_SSL_REDIRECT=0 (TLS ends at HAProxy, health checks are plain
# HTTP) Django warns security.W008, and that is the only warning expected here.
(cd "$ROOT" && env -i "${APP_ENV[@]}" "$PYTHON" manage.py check --deploy) >"$RESULTS/check-deploy.txt" 2>&1 || true
log "check --deploy: $(grep -o 'security\.W[0-9]*\|no issues' "$RESULTS/check-deploy.txt" | tr '\n' ' ')"

log "web hosts (gunicorn, $WEB_WORKERS workers each, web1 on CPU 0, web2 on CPU 1) and the worker"
start_web web1 0
start_web web2 1
start_worker
wait_healthy web1 >/dev/null
wait_healthy web2 >/dev/null

# --- HAProxy ---
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$LB" -addext "subjectAltName=IP:$LB" \
  -keyout "$WORK/lb.key" -out "$WORK/lb.crt" 2>/dev/null
cat "$WORK/lb.crt" "$WORK/lb.key" >"$WORK/lb.pem"
haproxy_config() {  # the web hosts in rotation
  cat <<EOF
global
    maxconn 4000
    pidfile $WORK/haproxy.pid
defaults
    mode http
    timeout connect 2s
    timeout client 90s
    timeout server 90s
    timeout http-keep-alive 10s
    option forwardfor
    # A request whose connection failed, or that got nothing back from a host that just died, is
    # tried once more on another host (idempotent methods only, HAProxy's rule).
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend https
    bind $LB:443 ssl crt $WORK/lb.pem
    http-request set-header X-Forwarded-Proto https
    default_backend web
backend web
    balance leastconn
    # /healthz (process and database), not /readyz: /readyz also turns red when the job worker is
    # down, and a dead worker must not take every web host out of rotation (docs/operations.md).
    option httpchk
    http-check send meth GET uri /healthz hdr Host $LB
    default-server inter 1s fall 2 rise 2 check
EOF
  for host in "$@"; do echo "    server $host $(ip_of "$host"):8000"; done
}
start_lb() {
  if [ -f "$WORK/haproxy.pid" ]; then kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true; sleep 1; fi
  haproxy_config "$@" >"$WORK/haproxy.cfg"
  in_ns lb haproxy -f "$WORK/haproxy.cfg" -D
  for _ in $(seq 1 40); do
    curl -sf -o /dev/null --cacert "$WORK/lb.crt" "https://$LB/healthz" && return 0
    sleep 0.25
  done
  echo "HAProxy does not answer" >&2; return 1
}

export REQUESTS_CA_BUNDLE="$WORK/lb.crt"  # the load generator trusts the throwaway certificate
readyz="$(curl -s --cacert "$WORK/lb.crt" "https://$LB/readyz" || true)"
echo "$readyz" >"$RESULTS/readyz.json"
log "/readyz through HAProxy: $readyz"

run_phase() {  # name, extra load.py arguments...
  local name=$1; shift
  log "phase $name: $USERS users, $DURATION s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  in_ns redis redis-cli -h "$REDIS" flushall >/dev/null  # every phase starts with a cold cache
  nice -n 5 "$LOADGEN_PYTHON" "$ROOT/bench/load.py" --host "https://$LB" \
    --database "postgres://postgres@$DB1:5432/$DBNAME" --users "$USERS" --spawn-rate 20 \
    --duration "$DURATION" --no-floor --summary-json "$RESULTS/$name.json" \
    --errors-log "$RESULTS/$name.errors.tsv" --timeline "$RESULTS/$name.timeline.tsv" "$@" \
    | tee "$RESULTS/$name.txt" || true
}

# --- phase 1: one web host, read mix ---
start_lb web1
run_phase 1-one-host --no-submitters
# --- phase 2: two web hosts, read mix ---
start_lb web1 web2
run_phase 2-two-hosts --no-submitters

# --- phase 3: two web hosts, submissions, web2 and the worker killed mid-run ---
kill_at=$((DURATION / 3))
restart_after=15
(
  sleep "$kill_at"
  t_kill="$(date +%s.%N)"
  for host in web2 worker; do
    for pid in $(ip netns pids "$P-$host"); do kill -9 "$pid" 2>/dev/null || true; done
  done
  echo "kill $t_kill"
  sleep "$restart_after"
  echo "restart $(date +%s.%N)"
  start_web web2 1
  start_worker
  echo "healthy $(wait_healthy web2)"
) >"$RESULTS/3-kill.events" 2>&1 &
killer=$!
run_phase 3-kill --accepted-log "$RESULTS/3-accepted.tsv"
wait "$killer" || true
sleep 2

# --- report ---
rows_before_check="$("${PSQL_PRIMARY[@]}" -c "SELECT count(*) FROM stocktaking_initiative WHERE title LIKE 'Load-test community network %'")"
"$PYTHON" - "$RESULTS" "${PSQL_PRIMARY[@]}" <<'EOF' | tee "$RESULTS/report.txt"
import json, subprocess, sys
from pathlib import Path

results = Path(sys.argv[1]); psql = sys.argv[2:]
one, two, three = (json.loads((results / f"{n}.json").read_text()) for n in ("1-one-host", "2-two-hosts", "3-kill"))
def line(name, d):
    t = d["total"]
    return (f"{name:<34} {t['requests']:>7} req {t['rps']:>7.2f} req/s  p50 {t['p50']:>5.0f}  p95 {t['p95']:>5.0f}"
            f"  p99 {t['p99']:>5.0f} ms  failures {t['failures']}  (load average after: {d['load_after']})")
print(line("1 one web host, read mix", one))
print(line("2 two web hosts, read mix", two))
print(line("3 two hosts + submissions + kill", three))
print(f"throughput ratio two/one hosts (read mix): {two['total']['rps'] / one['total']['rps']:.2f}")

events = dict(l.split() for l in (results / "3-kill.events").read_text().split("\n") if l.count(" ") == 1)
kill, healthy = float(events["kill"]), float(events.get("healthy", "inf"))
# The kill window: from the kill until HAProxy has seen the restarted host healthy twice (rise 2, inter
# 1 s) plus one second, after the host itself answered /healthz.
window_end = healthy + 3
errors = [l.split("\t") for l in (results / "3-kill.errors.tsv").read_text().splitlines() if l]
inside = [e for e in errors if kill <= float(e[0]) <= window_end]
outside = [e for e in errors if not kill <= float(e[0]) <= window_end]
print(f"kill at +{kill - three['started']:.0f} s of the phase: web2 and the worker SIGKILLed at {kill:.3f}, "
      f"restarted at {float(events['restart']):.3f}, web2 healthy at {healthy:.3f}; window ends {window_end:.3f}")
print(f"errors inside the kill window: {len(inside)}; outside it: {len(outside)}")
for e in inside + outside:
    print(f"  {'IN ' if e in inside else 'OUT'} {e[0]} {e[1]} {e[2]}: {e[3][:160]}")

accepted = [l.split("\t") for l in (results / "3-accepted.tsv").read_text().splitlines() if l]
titles = [a[2] for a in accepted]
found = set()
if titles:
    values = ",".join("'" + t.replace("'", "''") + "'" for t in titles)
    out = subprocess.run([*psql, "-c", f"SELECT title FROM stocktaking_initiative WHERE title IN ({values})"],
                         check=True, capture_output=True, text=True).stdout
    found = set(out.splitlines())
lost = [t for t in titles if t not in found]
print(f"accepted submissions: {len(titles)} (saved {sum(a[1] == 'save' for a in accepted)}, submitted "
      f"{sum(a[1] == 'submit' for a in accepted)}); found in the primary: {len(titles) - len(lost)}; lost: {len(lost)}")
for t in lost:
    print(f"  LOST: {t}")
EOF
log "jobs after the run: $("${PSQL_PRIMARY[@]}" -c "SELECT string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM django_tasks_database_dbtaskresult GROUP BY status) s" 2>/dev/null || echo '?')"
log "replica lag at the end: $("${PSQL_PRIMARY[@]}" -c "SELECT coalesce(replay_lag::text, '0') FROM pg_stat_replication")"
log "database: $n_initiatives initiatives, pg_database_size $db_size bytes ($rows_before_check load-test rows now)"
log "machine: $(nproc) cores, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
