#!/usr/bin/env bash
# Builds the agent as a holder installs it: a jlink'd Java runtime holding only the modules the agent needs,
# a jpackage app image around it (launcher bin/cardrenew; no JDK needed on the PC), and a tarball with the
# per-user installer (install.sh: no administrator rights). The runtime is not compressed by jlink: the
# tarball's gzip does better on uncompressed modules, and the agent starts faster. Run by Maven in the package phase:
#   build-package.sh JAVA_HOME VERSION AGENT_JAR TARGET_DIR
# Prints the time it took and the sizes; writes TARGET_DIR/cardrenew-agent-VERSION-linux-x64.tar.gz.
set -euo pipefail
java_home=$1 version=$2 jar=$3 target=$4
here="$(cd "$(dirname "$0")" && pwd)"
name="cardrenew-agent-$version-linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')"

# jlink links from the JDK's jmods (Debian: openjdk-17-jdk-headless on bookworm, openjdk-17-jmods later).
if [ ! -f "$java_home/jmods/java.base.jmod" ]; then
  msg="agent package: $java_home has no jmods, so jlink cannot build the runtime (install openjdk-17-jmods, or the JDK's jmods; or build with -Dagent.package.skip=true)"
  if [ "${CI:-}" = "true" ]; then echo "ERROR: $msg" >&2; exit 1; fi
  echo "WARNING: $msg — SKIPPED, no package built" >&2
  exit 0
fi

# What the agent needs at run time. jdeps sees java.base, java.net.http, jdk.httpserver and
# jdk.crypto.cryptoki (the PKCS#11 wrapper); the JCA providers it cannot see: jdk.crypto.ec (EC keys and
# ECDHE in TLS on 17). java.xml and java.sql: Jackson's optional handlers name org.w3c.dom.Node and java.sql
# types when it builds its first deserializer (without java.xml, the first RA answer fails with
# NoClassDefFoundError — InstalledAgentPackageTest found it). Left out: java.desktop and java.naming, which
# jdeps also names, for Jackson's java.beans support and BouncyCastle's LDAP store, both loaded only on demand
# and never here; and jdk.localedata, as the agent's zh-TW texts are its own bundles and it formats no dates by
# locale.
modules=java.base,java.net.http,jdk.httpserver,jdk.crypto.cryptoki,jdk.crypto.ec,java.xml,java.sql
# The card is reached through the JDK-internal PKCS#11 wrapper (the pkcs11 module; see docs/ARCHITECTURE.md).
java_options=(--java-options "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED"
              --java-options "--add-modules=jdk.crypto.cryptoki")

work="$target/package"
rm -rf "$work" "$target/$name.tar.gz"
mkdir -p "$work/input"
cp "$jar" "$work/input/cardrenew-agent.jar"
start=$(date +%s)

"$java_home/bin/jlink" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --strip-native-commands \
  --output "$work/runtime"
linked=$(date +%s)

# jpackage wants a numeric version: 0.1.0-SNAPSHOT → 0.1.0.
"$java_home/bin/jpackage" --type app-image --name cardrenew --app-version "${version%%-*}" \
  --vendor "CardRenew" --description "CardRenew card bridge and command line" \
  --input "$work/input" --main-jar cardrenew-agent.jar --main-class org.cardrenew.agent.cli.CardRenewCommand \
  --runtime-image "$work/runtime" "${java_options[@]}" --dest "$work/image"
packed=$(date +%s)

mkdir -p "$work/$name"
mv "$work/image/cardrenew" "$work/$name/app"
install -m 755 "$here/install.sh" "$work/$name/install.sh"
echo "$version" > "$work/$name/VERSION"
tar -C "$work" -czf "$target/$name.tar.gz" "$name"
done_at=$(date +%s)

image_kb=$(du -sk "$work/$name/app" | cut -f1)
tar_kb=$(( $(stat -c %s "$target/$name.tar.gz") / 1024 ))
report="agent package $name.tar.gz: ${tar_kb} KiB (app image ${image_kb} KiB installed); built in $((done_at - start)) s (jlink $((linked - start)) s, jpackage $((packed - linked)) s, tar $((done_at - packed)) s)"
echo "$report" | tee "$target/agent-package.txt"
