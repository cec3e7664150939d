#!/usr/bin/env bash
# Per-request profile: the agent's own share of the CPU samples of a JVM making many small chat-completion calls
# through each client against the test-app's stand-in (in the same JVM, no rate limit), with the agent for a host
# it leaves alone and for a Together host. Sampled by Java Flight Recorder every millisecond; a sample is the
# agent's when its innermost frame outside the JDK's utilities (strings, collections, atomics) is the agent's
# (bench/.../AgentShare.java). Steadier than bench-requests.sh's throughput, which moves by more than the agent
# costs on a shared machine; it counts Java code only (not the kernel's share of a loopback call), so it is an
# upper bound of the agent's share of the JVM's CPU time. Only the samples of the timed calls count, not those of the
# warm-up before them (which runs partly in unoptimised code, and compiles).
# Usage: ./bench-profile.sh [calls per run, default 100000] [threads, default 4] [warm-up calls, default 80000]
# CLIENTS="okhttp vertx" ./bench-profile.sh runs only those clients' rows.
set -euo pipefail
cd "$(dirname "$0")"
calls=${1:-100000}
threads=${2:-4}
warm_up=${3:-80000}
mvn -B -q -DskipTests package
mkdir -p target/bench-profile
jar=agent/target/together-agent.jar
java_home=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ { print $2 }')
# The JDK's own profiling settings, sampling Java code every millisecond instead of every 10 or 20.
sed -e 's|<setting name="period" control="method-sampling-java-interval">[^<]*</setting>|<setting name="period" control="method-sampling-java-interval">1 ms</setting>|' \
  "$java_home/lib/jfr/profile.jfc" > target/bench-profile/every-ms.jfc

share() { # recording name, then the agent's argument: prints "samples agent-samples share top-frames"
  local jfr=target/bench-profile/$1.jfr out summary
  # DebugNonSafepoints: without it a sample in compiled code is put at the nearest safepoint's frame, often a
  # method inlined nearby (a 2026-12-06 table gave OkHttp's host check 14 of 44 samples; with it, 1 of 40).
  out=$(java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
    -XX:StartFlightRecording:settings=target/bench-profile/every-ms.jfc,filename="$jfr" \
    "-javaagent:$jar=$2" -jar test-app/target/test-app.jar --calls "$calls" --threads "$threads" \
    --warm-up "$warm_up" --rate 1000000000 --burst 1000000000 --client "$client" 2>/dev/null)
  summary=$(grep '^summary:' <<<"$out")
  # A call that failed is reported with why, not a reason to lose the run's profile.
  grep -q ' failed=0 ' <<<"$summary" || echo "calls failed: $client $2: $summary $(grep '^failed:' <<<"$out")" >&2
  grep -q ' ok=[1-9]' <<<"$summary" || { echo "run failed: $client $2: $summary" >&2; exit 1; }
  java -cp bench/target/bench.jar io.togetheragent.bench.AgentShare "$jfr" 3 "${summary##* timed=}"
}

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; $calls calls per run after $warm_up not counted," \
  "$threads threads; Java samples every 1 ms"
echo
echo "| client | agent's share of samples, another host | a Together host | the agent's most sampled methods, Together |"
echo "|---|---|---|---|"
for client in ${CLIENTS:-okhttp jdk-http urlconnection httpclient4 httpclient5 reactor-netty jetty vertx}; do
  read -r os oa op _ < <(share "$client-other" "log-level=warn")
  read -r ts ta tp tf < <(share "$client-together" "hosts=127.0.0.1,log-level=warn")
  echo "| $client | $op ($oa of $os) | $tp ($ta of $ts) | $tf |"
done
