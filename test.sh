#!/usr/bin/env bash
# Builds everything and runs every test: the unit tests, then the integration tests, which attach the packaged
# agent jar to child JVMs. When a newer JDK than Maven's own is installed under /usr/lib/jvm, the integration
# tests run a second time with their child JVMs on it.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B verify

spec_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
own=$(spec_version "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
newest=""; newest_version="$own"
for home in /usr/lib/jvm/*; do
  [ -x "$home/bin/java" ] || continue
  v=$(spec_version "$home")
  if [ "${v%%.*}" -gt "${newest_version%%.*}" ] 2>/dev/null; then newest="$home"; newest_version="$v"; fi
done
if [ -n "$newest" ]; then
  echo "== integration tests again, child JVMs on Java $newest_version ($newest)"
  mvn -B -pl agent failsafe:integration-test failsafe:verify -Dit.java.home="$newest"
fi
