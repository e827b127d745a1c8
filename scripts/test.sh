#!/usr/bin/env bash
# Runs the whole CardRenew test suite on a fresh Debian machine: installs what the tests use
# (SoftHSM2, OpenSC's pkcs11-tool, PostgreSQL, Chromium and its driver), starts PostgreSQL,
# creates the test database, then runs the one build entry point, ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-setup.sh
# Each phase says how long it took, so a slow CI run shows where its time went.
phase_start=$SECONDS
phase_done() { echo "==> $1 took $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }

command -v javac >/dev/null || install_packages openjdk-17-jdk-headless
install_packages softhsm2 opensc postgresql chromium chromium-driver openssl curl fonts-noto-cjk
# FirefoxRenewalTest: Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core from npm (no browser download).
install_packages firefox-esr
# agent-package links the agent's runtime with jlink, which needs the JDK's jmods: in openjdk-17-jdk-headless on
# Debian 12, in their own package where the distribution splits them out.
if apt-cache show openjdk-17-jmods >/dev/null 2>&1; then install_packages openjdk-17-jmods; fi
# The browser tests inject axe-core from npm (installed at test time into e2e/target).
command -v npm >/dev/null || install_packages nodejs npm
start_postgres
create_pg_database cardrenew_test cardrenew_test cardrenew_test
# Tests on PostgreSQL migrate as the owner above and run the server as this role (docs/AUDIT.md).
create_pg_role cardrenew_test_app cardrenew_test_app
# PostgresOverUnixSocketTest and bin/cardrenew-bench's server reach PostgreSQL through its socket (docs/OPERATIONS.md).
allow_pg_socket_login cardrenew_test cardrenew_test_app
# The benchmark reports SQL statements and commits per renewal from pg_stat_statements (docs/BENCHMARKS.md).
enable_pg_stat_statements cardrenew_test
# bin/cardrenew-bench runs in a database of its own, so the tests' statements are not counted as the bench's.
create_bench_database cardrenew_test cardrenew_bench
phase_done "set-up (packages, PostgreSQL)"

export CARDRENEW_TEST_PG_URL=${CARDRENEW_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/cardrenew_test}
export CARDRENEW_TEST_PG_USER=${CARDRENEW_TEST_PG_USER:-cardrenew_test}
export CARDRENEW_TEST_PG_PASSWORD=${CARDRENEW_TEST_PG_PASSWORD:-cardrenew_test}
export CARDRENEW_TEST_PG_APP_USER=${CARDRENEW_TEST_PG_APP_USER:-cardrenew_test_app}
export CARDRENEW_TEST_PG_APP_PASSWORD=${CARDRENEW_TEST_PG_APP_PASSWORD:-cardrenew_test_app}

# A short real fuzzing run of every parser of outside input (PKCS#10, EST body, CMP, OCSP, the RA's JSON, the bridge's
# JSON), 15 s each, without Spring; the MockMvc endpoint targets replay their corpora in the build below and fuzz in the
# longer run (docs/FUZZING.md). First, so that the whole suite's results close the output.
scripts/fuzz.sh 15s short
phase_done "short fuzzing run"
# Never -q: Surefire's "Tests run:" lines are how CI counts tests.
./mvnw -B -ntp verify "$@"
