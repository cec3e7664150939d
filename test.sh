#!/usr/bin/env bash
# Builds everything and runs every test: the unit tests, then the integration tests, which attach the packaged
# agent jar to child JVMs. When a newer JDK than Maven's own is installed under /usr/lib/jvm, a second round runs
# the integration tests again with their child JVMs on it, but those that repeat code that is the same on every
# JDK (round2_excludes).
#
# Each round is a whole reactor build (`verify`), never `-pl agent` alone: that would resolve the test-app and
# bench modules from the local Maven repository, where they exist only after an `mvn install` (issue 12).
# Each round ends with a line of its test totals, and a round that ran no test fails.
set -uo pipefail
cd "$(dirname "$0")"

reports() { find . -path '*/target/*-reports/TEST-*.xml' 2>/dev/null; }

# Sums the <testsuite> counts of the reports the round wrote and prints "<round>: N passed, N failed, N skipped".
totals() {
  local round=$1 tests=0 failed=0 skipped=0 t e f s
  while IFS= read -r file; do
    local head
    head=$(grep -m1 -o '<testsuite [^>]*>' "$file") || continue
    t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$head")
    e=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$head")
    f=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$head")
    s=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$head")
    tests=$((tests + ${t:-0})); failed=$((failed + ${e:-0} + ${f:-0})); skipped=$((skipped + ${s:-0}))
  done < <(reports)
  summary+=("$round: $((tests - failed - skipped)) passed, $failed failed, $skipped skipped")
  ran=$((tests - skipped))
}

# Runs one round: clears the reports of the round before, so that only this round's tests are counted.
round() {
  local name=$1; shift
  reports | xargs -r rm -f
  mvn -B "$@"
  local rc=$?
  totals "$name"
  if [ "$rc" -ne 0 ]; then echo "== $name failed (mvn exit $rc)"; finish 1; fi
  if [ "$ran" -eq 0 ]; then echo "== $name ran no test"; finish 1; fi
}

finish() {
  echo
  echo "== test totals, one line per round"
  printf '%s\n' "${summary[@]}"
  exit "$1"
}

# The integration tests round 2 leaves out (why: where it runs). Every fault suite but the JDK clients'.
round2_excludes() {
  local fault keep=" JdkHttpClientFaultIT JdkHttpClientAsyncFaultIT UrlConnectionFaultIT " list
  list="**/*HttpsBehaviourIT.java,**/*OldestBehaviourIT.java,**/Vertx4*IT.java"
  list="$list,**/SharedLimitIT.java,**/LoadIT.java,**/ThrottleIT.java"
  for fault in agent/src/test/java/io/togetheragent/it/*FaultIT.java; do
    fault=$(basename "$fault" .java)
    [[ "$keep" == *" $fault "* ]] || list="$list,**/$fault.java"
  done
  echo "$list"
}

summary=()
spec_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
own=$(spec_version "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")

echo "== round 1: unit and integration tests, child JVMs on Java $own"
round "java-$own" verify

newest=""; newest_version="$own"
for home in /usr/lib/jvm/*; do
  [ -x "$home/bin/java" ] || continue
  v=$(spec_version "$home")
  if [ "${v%%.*}" -gt "${newest_version%%.*}" ] 2>/dev/null; then newest="$home"; newest_version="$v"; fi
done
if [ -n "$newest" ]; then
  echo "== round 2: integration tests again, child JVMs on Java $newest_version ($newest)"
  # Round 2 asks what differs between JDKs: the JDK's own clients (java.net.http, HttpURLConnection) and how the
  # agent loads and weaves on it. Every client's behaviour suite and adapter tests run again; left out are runs
  # that repeat, on the newer JDK, code that is the same on every JDK:
  # - the HTTPS runs of the behaviour suite, which repeat its HTTP runs over TLS (each suite's own HTTPS case,
  #   Together's default hosts, still runs);
  # - Vert.x 4, whose helpers are Vert.x 5's, and the oldest supported versions of HttpClient 5 and Reactor Netty;
  # - the fault suites of the clients that are not the JDK's: how a library reports a reset or a cut-off body is
  #   its own code, the agent's part in it is the same helper as round 1's;
  # - SharedLimitIT (the core over one plain socket to Redis), LoadIT and ThrottleIT (the core's timing).
  # So the round stays within CI's budget.
  round "java-$newest_version" verify -DskipUnitTests=true -Dit.java.home="$newest" "-Dit.excludes=$(round2_excludes)"
fi
finish 0
