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

# create_pg_database ROLE PASSWORD DATABASE: idempotent; PostgreSQL here trusts local peer logins only,
# so the role is made through the postgres account and the application logs in with a password over TCP.
create_pg_database() {
  local role=$1 password=$2 db=$3
  need_root_or_sudo
  local psql=(runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA)
  [ -n "$SUDO" ] && psql=(sudo -u postgres psql -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$role'")" != "1" ]; then
    "${psql[@]}" -c "CREATE ROLE $role LOGIN PASSWORD '$password'"
  fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$db'")" != "1" ]; then
    "${psql[@]}" -c "CREATE DATABASE $db OWNER $role"
  fi
}
