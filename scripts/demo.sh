#!/usr/bin/env bash
# Starts CardRenew on its embedded defaults as a demo, on a fresh Debian machine:
#   - installs SoftHSM2 and OpenSC if missing, builds the jars (tests skipped),
#   - starts the server with the demo profile (H2 and CA keystore under ./demo/data),
#   - makes a SoftHSM2 demo card "DEMO-CARD" (PIN 123456) whose certificates expire in 20 days,
#     and a second card "DEMO-LATER" that is not yet renewable (expires in 200 days),
#   - starts the local card bridge (bin/cardrenew agent) that lets the browser reach the card,
#   - prints the browser URL and what to try, then keeps the server in the foreground (Ctrl-C stops both).
# Options: PORT=8080 (environment). Re-running starts afresh (the demo directory is recreated).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib-setup.sh

port=${PORT:-8080}
demo="$root/demo"
module=/usr/lib/softhsm/libsofthsm2.so
pin=123456

command -v javac >/dev/null || install_packages openjdk-17-jdk-headless
install_packages softhsm2 opensc openssl curl
if [ ! -f server/target/cardrenew-server-exec.jar ] || [ -z "$(ls agent/target/cardrenew-agent-*-all.jar 2>/dev/null)" ]; then
  echo "==> building (tests skipped; scripts/test.sh runs them)"
  ./mvnw -B -ntp -DskipTests package -pl server,agent -am
fi

rm -rf "$demo"
mkdir -p "$demo/softhsm/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$demo/softhsm/tokens" > "$demo/softhsm/softhsm2.conf"
export SOFTHSM2_CONF="$demo/softhsm/softhsm2.conf"
softhsm2-util --init-token --free --label DEMO-CARD --so-pin 87654321 --pin "$pin" >/dev/null
softhsm2-util --init-token --free --label DEMO-LATER --so-pin 87654321 --pin "$pin" >/dev/null

admin_token=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
echo "$admin_token" > "$demo/admin-token"
chmod 600 "$demo/admin-token"

echo "==> starting the server on http://localhost:$port (log: demo/server.log)"
(cd "$demo" && CARDRENEW_ADMIN_TOKEN="$admin_token" exec "$root/bin/cardrenew-server" \
    --server.port="$port" --spring.profiles.active=demo --cardrenew.public-url="http://localhost:$port" \
    > "$demo/server.log" 2>&1) &
server_pid=$!
agent_pid=""
trap 'kill $server_pid $agent_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$port/actuator/health" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { echo "server failed to start:"; tail -50 "$demo/server.log"; exit 1; }
  sleep 1
done

export DEMO_PIN=$pin
enroll() { # label holder-id name days-left key
  local days_left=$4
  "$root/bin/cardrenew" enroll --server "http://localhost:$port" --module "$module" --token "$1" \
    --pin-env DEMO_PIN --admin-token-file "$demo/admin-token" \
    --holder-id "$2" --name "$3" --org "數位發展部" --email "$2@example.gov.tw" --lang zh-TW --key "$5" \
    --not-before "$(date -u -d "$(( days_left - 730 )) days" +%Y-%m-%dT%H:%M:%SZ)" \
    --not-after "$(date -u -d "$days_left days" +%Y-%m-%dT%H:%M:%SZ)"
}
echo "==> making demo cards"
enroll DEMO-CARD A123456789 "王小明" 20 p256
enroll DEMO-LATER B223456789 "陳美玲" 200 rsa2048

echo "==> starting the local card bridge (log: demo/agent.log)"
"$root/bin/cardrenew" agent --module "$module" --allow-origin "http://localhost:$port" > "$demo/agent.log" 2>&1 &
agent_pid=$!

cat <<MSG

CardRenew demo is running.

  Renew DEMO-CARD in a browser:  http://localhost:$port/   (card PIN $pin)
  API description:   http://localhost:$port/swagger-ui.html
  Admin token:       demo/admin-token
  RA console:        http://localhost:$port/console   (user admin; password in demo/data/console-admin-password,
                     TOTP key for an authenticator app in demo/data/console-admin-totp — never in the log)

Try it (in another terminal, from $root):
  export SOFTHSM2_CONF=$SOFTHSM2_CONF DEMO_PIN=$pin
  bin/cardrenew status --server http://localhost:$port --module $module --token DEMO-CARD --pin-env DEMO_PIN
  bin/cardrenew renew  --server http://localhost:$port --module $module --token DEMO-CARD --pin-env DEMO_PIN
  pkcs11-tool --module $module --token-label DEMO-CARD --login --pin $pin --list-objects
  bin/cardrenew status --server http://localhost:$port --module $module --token DEMO-LATER --pin-env DEMO_PIN

Ctrl-C stops the server and the bridge.
MSG
wait $server_pid
