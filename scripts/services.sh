#!/usr/bin/env bash
# The services Sluice's tests talk to, installed when missing and started on loopback:
#   PostgreSQL 127.0.0.1:5432 (trust auth, databases `postgres` and `test`), Redis 127.0.0.1:6379
#   (no persistence), Debian's chromium, a venv with pinned dbt-core + dbt-postgres, and the Nessie
#   server (in-memory version store) on 127.0.0.1:19120.
# Versions: scripts/services/versions.env. Cache (venv, jar, Nessie's pid and log):
#   $SLUICE_CACHE_DIR, default ${XDG_CACHE_HOME:-~/.cache}/sluice.
# Usage: scripts/services.sh up|status|down|env
#   up     install what is missing, start what is not running (idempotent; ~1 s when all runs)
#   status one line per service; exit 1 when any is down
#   down   stop Nessie, Redis and PostgreSQL (installed packages and the cache stay)
#   env    print the variables that point the tests at these services
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=services/versions.env
. "$here/services/versions.env"

cache="${SLUICE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sluice}"
venv="$cache/dbt-$DBT_CORE_VERSION-postgres-$DBT_POSTGRES_VERSION"
jar="$cache/nessie/nessie-quarkus-$NESSIE_VERSION-runner.jar"
run_dir="$cache/run"
nessie_url="http://127.0.0.1:$NESSIE_PORT/api/v2"

say() { printf '%s\n' "$*"; }
die() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "installing needs root: run as root or install sudo (command: $*)"; fi
}

wait_for() { # wait_for NAME SECONDS COMMAND...
  local name=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$((seconds * 5))"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  printf 'services.sh: %s did not come up within %ss\n' "$name" "$seconds" >&2
  return 1
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

missing_packages() {
  local p out=()
  for p in $DEBIAN_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out+=("$p")
  done
  printf '%s ' "${out[@]:-}"
}

pg_up() { pg_isready -q -h 127.0.0.1 -p "$POSTGRES_PORT"; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
nessie_up() { curl -sf -m 2 "$nessie_url/config" >/dev/null; }
dbt_ready() { [ -x "$venv/bin/dbt" ] && [ -f "$venv/.sluice-ok" ]; }

start_postgres() {
  local conf="/etc/postgresql/$POSTGRES_MAJOR/main"
  [ -d "$conf" ] || as_root pg_createcluster "$POSTGRES_MAJOR" main
  if [ ! -f "$conf/conf.d/sluice.conf" ]; then
    as_root mkdir -p "$conf/conf.d"
    printf "listen_addresses = '127.0.0.1'\nport = %s\nmax_connections = 200\n" "$POSTGRES_PORT" | as_root tee "$conf/conf.d/sluice.conf" >/dev/null
    # Trust for local connections only: this server is for tests and development on loopback.
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' | as_root tee "$conf/pg_hba.conf" >/dev/null
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$POSTGRES_MAJOR" main start 2>/dev/null || as_root pg_ctlcluster "$POSTGRES_MAJOR" main start
  wait_for postgresql 30 pg_up || exit 1
}

ensure_test_db() {
  psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -Atc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
    || psql -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -c "create database test"
}

start_redis() {
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/sluice.log
  wait_for redis 20 redis_up || exit 1
}

install_dbt() {
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/services/dbt-requirements.txt" \
    "dbt-core==$DBT_CORE_VERSION" "dbt-postgres==$DBT_POSTGRES_VERSION"
  touch "$venv/.sluice-ok"
}

fetch_nessie() {
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch the Nessie server jar"
  mkdir -p "$(dirname "$jar")"
  mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    "-Dartifact=org.projectnessie.nessie:nessie-quarkus:$NESSIE_VERSION:jar:runner" \
    "-DoutputDirectory=$(dirname "$jar")" >/dev/null
  [ -f "$jar" ] || die "Maven did not produce $jar"
}

start_nessie() {
  mkdir -p "$run_dir"
  nohup java -Xmx512m -Dnessie.version.store.type=IN_MEMORY \
    -Dquarkus.http.host=127.0.0.1 "-Dquarkus.http.port=$NESSIE_PORT" \
    -Dquarkus.log.console.level=WARN -Dquarkus.otel.sdk.disabled=true \
    -jar "$jar" >"$run_dir/nessie.log" 2>&1 </dev/null &
  echo $! >"$run_dir/nessie.pid"
  wait_for nessie 90 nessie_up || { tail -20 "$run_dir/nessie.log" >&2; exit 1; }
}

up() {
  local missing
  missing="$(missing_packages)"
  if [ -n "${missing// /}" ]; then say "installing Debian packages: $missing"; apt_install $missing; fi
  pg_up || { say "starting postgresql"; start_postgres; }
  ensure_test_db
  redis_up || { say "starting redis"; start_redis; }
  dbt_ready || { say "installing dbt-core $DBT_CORE_VERSION + dbt-postgres $DBT_POSTGRES_VERSION into $venv"; install_dbt; }
  [ -f "$jar" ] || { say "fetching nessie-quarkus $NESSIE_VERSION"; fetch_nessie; }
  nessie_up || { say "starting nessie"; start_nessie; }
  say "services up: postgresql 127.0.0.1:$POSTGRES_PORT, redis 127.0.0.1:$REDIS_PORT, chromium /usr/bin/chromium, dbt $venv/bin/dbt, nessie $nessie_url"
}

status() {
  local bad=0
  line() { if "$2"; then say "$1: up"; else say "$1: down"; bad=1; fi; }
  chromium_ok() { [ -x /usr/bin/chromium ]; }
  line postgresql pg_up; line redis redis_up; line chromium chromium_ok; line dbt dbt_ready; line nessie nessie_up
  return $bad
}

down() {
  if [ -f "$run_dir/nessie.pid" ]; then kill "$(cat "$run_dir/nessie.pid")" 2>/dev/null || true; rm -f "$run_dir/nessie.pid"; fi
  redis_up && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  pg_up && as_root pg_ctlcluster "$POSTGRES_MAJOR" main stop || true
  say "services down"
}

env_vars() {
  say "SLUICE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$POSTGRES_PORT/test"
  say "SLUICE_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  say "SLUICE_CHROMIUM=/usr/bin/chromium"
  say "SLUICE_TEST_DBT=$venv/bin/dbt"
  say "SLUICE_TEST_NESSIE_URI=$nessie_url"
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  env) env_vars ;;
  *) die "usage: scripts/services.sh up|status|down|env" ;;
esac
