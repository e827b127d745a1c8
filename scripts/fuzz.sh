#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that takes outside input (docs/FUZZING.md): PKCS#10, CMP, EST, OCSP, the
# RA's JSON and the card bridge's JSON, with Jazzer. Each fuzz test runs in its own JVM (Jazzer fuzzes one test per
# JVM) for DURATION; a finding fails the run and leaves the crashing input beside the test's seed corpus
# (src/test/resources/<package>/<Class>Inputs/<method>/crash-*), where it stays as a regression input once fixed.
#
#   scripts/fuzz.sh 10m                  # every target, 10 minutes each: before a release or after touching a parser
#   scripts/fuzz.sh 15s short            # the short run scripts/test.sh makes: every parser, without Spring
set -euo pipefail
cd "$(dirname "$0")/.."
# The targets of the short run: each endpoint's parsers and refusals without a Spring context (which takes minutes to
# start under instrumentation), so that all of them fuzz in every scripts/test.sh run.
short_targets='CertificationRequestFuzzTest,EstBodyFuzzTest,CmpMessageReaderFuzzTest,OcspResponderFuzzTest,RaRequestFieldsFuzzTest,BridgeJsonFuzzTest'
duration=${1:-10s}
targets=${2:-*FuzzTest}
[ "$targets" = short ] && targets=$short_targets
export JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration"
# Coverage from our code and the ASN.1/CMS/CMP/OCSP parsers it relies on; Spring itself is left uninstrumented.
export JAZZER_INSTRUMENT='org.cardrenew.**,org.bouncycastle.**,tools.jackson.**'
exec ./mvnw -B -ntp -pl server,agent -am test -Djazzer.hooks=true -DreuseForks=false \
  -Dtest="$targets" -Dsurefire.failIfNoSpecifiedTests=false
