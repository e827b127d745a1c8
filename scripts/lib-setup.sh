# Shared set-up steps for scripts/test.sh and scripts/demo.sh (sourced, not run).
# Installs the system packages CardRenew needs and starts PostgreSQL on a Debian machine.

need_root_or_sudo() {
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
}

install_packages() {
  need_root_or_sudo
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
  fi
}

start_postgres() {
  need_root_or_sudo
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    $SUDO pg_createcluster "$version" main
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    echo "==> starting PostgreSQL $version"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
}

# pg_admin ARGS...: psql as the postgres superuser (PostgreSQL here trusts local peer logins only), quiet, tuples only.
pg_admin() {
  need_root_or_sudo
  if [ -n "$SUDO" ]; then
    sudo -u postgres psql -v ON_ERROR_STOP=1 -qtA "$@"
  else
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"
  fi
}

# create_pg_role ROLE PASSWORD: idempotent; a login role that owns nothing (the server's role when Flyway
# migrates as the owner, docs/AUDIT.md). It gets its table rights from the migration.
create_pg_role() {
  local role=$1 password=$2
  if [ "$(pg_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$role'")" != "1" ]; then
    pg_admin -c "CREATE ROLE $role LOGIN PASSWORD '$password'"
  fi
}

# create_pg_database ROLE PASSWORD DATABASE: idempotent; the role is made through the postgres account and the
# application logs in with a password over TCP.
create_pg_database() {
  local role=$1 password=$2 db=$3
  create_pg_role "$role" "$password"
  if [ "$(pg_admin -c "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
    pg_admin -c "CREATE DATABASE $db OWNER $role"
  fi
}

# allow_pg_socket_login ROLE...: these roles may log in with their passwords through PostgreSQL's Unix-domain socket
# too, as a node on the database's own machine connects (docs/OPERATIONS.md; Debian's pg_hba.conf allows only peer
# logins there). The line goes before Debian's "local all all peer"; idempotent; PostgreSQL reloads its configuration.
allow_pg_socket_login() {
  local roles hba line
  roles=$(IFS=,; echo "$*")
  need_root_or_sudo
  hba=$(pg_admin -c "SHOW hba_file")
  line="local   all             $roles    scram-sha-256"
  if $SUDO grep -qE "^local[[:space:]]+all[[:space:]]+$roles[[:space:]]+scram-sha-256" "$hba"; then
    return
  fi
  if ! $SUDO grep -qE "^local[[:space:]]+all[[:space:]]+all[[:space:]]+peer" "$hba"; then
    echo "==> $hba has no 'local all all peer' line: socket logins for $roles left as they are" >&2
    return
  fi
  echo "==> password logins through PostgreSQL's socket for $roles ($hba)"
  $SUDO sed -i "0,/^local[[:space:]]\+all[[:space:]]\+all[[:space:]]\+peer/s//$line\n&/" "$hba"
  pg_admin -c "SELECT pg_reload_conf()" >/dev/null
}

# enable_pg_stat_statements DATABASE: per-statement counts for the benchmark's report (SQL statements and commits per
# renewal). The module must be preloaded, which takes a restart; done once, idempotent afterwards.
enable_pg_stat_statements() {
  local db=$1 version preload
  need_root_or_sudo
  preload=$(pg_admin -c "SHOW shared_preload_libraries")
  if ! grep -qw pg_stat_statements <<<"$preload"; then
    echo "==> preloading pg_stat_statements (PostgreSQL restarts once)"
    pg_admin -c "ALTER SYSTEM SET shared_preload_libraries = '${preload:+$preload,}pg_stat_statements'"
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  fi
  pg_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
}

# create_bench_database OWNER DATABASE: the benchmark's own database (bin/cardrenew-bench defaults to cardrenew_bench,
# owned by the test role). pg_stat_statements and pg_stat_database count every client of a database: the tests, which
# use cardrenew_test, would otherwise be counted in the bench's "SQL per renewal". Idempotent.
create_bench_database() {
  local owner=$1 db=$2
  if [ "$(pg_admin -c "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
    pg_admin -c "CREATE DATABASE $db OWNER $owner"
  fi
  enable_pg_stat_statements "$db"
}
