#!/usr/bin/env bash
# Runs the whole CardRenew test suite on a fresh Debian machine: installs what the tests use
# (SoftHSM2, OpenSC's pkcs11-tool, PostgreSQL, Chromium and its driver), starts PostgreSQL,
# creates the test database, then runs the one build entry point, ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-setup.sh

command -v javac >/dev/null || install_packages openjdk-17-jdk-headless
install_packages softhsm2 opensc postgresql chromium chromium-driver openssl curl fonts-noto-cjk
# The browser tests inject axe-core from npm (installed at test time into e2e/target).
command -v npm >/dev/null || install_packages nodejs npm
start_postgres
create_pg_database cardrenew_test cardrenew_test cardrenew_test

export CARDRENEW_TEST_PG_URL=${CARDRENEW_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/cardrenew_test}
export CARDRENEW_TEST_PG_USER=${CARDRENEW_TEST_PG_USER:-cardrenew_test}
export CARDRENEW_TEST_PG_PASSWORD=${CARDRENEW_TEST_PG_PASSWORD:-cardrenew_test}

# Never -q: Surefire's "Tests run:" lines are how CI counts tests.
exec ./mvnw -B -ntp verify "$@"
