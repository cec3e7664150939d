#!/usr/bin/env bash
# Loopback saturation benchmark: many small chat-completion calls through each client against the test-app's
# stand-in (in the same JVM, no rate limit), without any agent, with an empty -javaagent (what the JVM itself costs
# once an agent is attached), with the agent for a host it leaves alone, and with it for a Together host,
# alternating run by run. Reports the medians of the whole JVM's CPU time per call (client and stand-in; steadier
# than throughput on a shared machine; read per thread in nanoseconds, as the JVM's own counter ticks in 10 ms)
# less its JIT compiler threads' time, and the agent's against the empty agent's. Each JVM first makes 80,000
# calls not counted: after 20,000 the calls still ran partly in profiled code
# (CPU per call 40 % higher) and the compiler threads took half of the counted calls' CPU; after 80,000 they
# still take a tenth, a one-off cost of warming up, not one of each call, so the test-app reports it apart.
# Then, as two JVMs differ by more than the agent costs, one JVM per round with the agent for a Together host runs
# 40 phases of 5,000 calls after the same warm-up, the agent switched off through its JMX bean for half of them
# (off, on, on, off, off, on...: a drift weighs on both alike): the Together request against one the agent lets
# pass, with one JIT history and one heap; and one more JVM alike whose clients call the stand-in "localhost", a
# host the agent leaves alone: its host check against none. Each pair of neighbouring phases gives a ratio; the
# column is the median of all rounds' ratios, with their quartiles (short phases side by side: a neighbour's load
# drifts less within a pair than across a run). Where the JVM tells it (HotSpot 21 and later, and 17.0.15 here),
# the bytes the JVM allocated per call too: unlike CPU time they hardly move with the machine's load.
# This machine is shared and noisy: compare the columns of one row, not runs of different days.
# Usage: ./bench-requests.sh [rounds, default 3] [calls per run, default 20000] [threads, default 4]
#   [warm-up calls, default 80000]
# CLIENTS="okhttp vertx" ./bench-requests.sh ... runs only those clients' rows; PHASES_ONLY=1 only the one-JVM
# columns (some 60 % of the time); PHASES and PHASE_CALLS set the phases of a one-JVM run (40 of 5000).
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
calls=${2:-20000}
threads=${3:-4}
warm_up=${4:-80000}
mvn -B -q -DskipTests package
. bench/common.sh
jar=agent/target/together-agent.jar
empty_agent_jar

run() { # the java arguments before -jar: prints "CPU-us-per-call calls-per-second" of one run
  local out
  out=$(java "$@" -jar test-app/target/test-app.jar --calls "$calls" --threads "$threads" --warm-up "$warm_up" \
    --rate 1000000000 --burst 1000000000 --client "$client" 2>/dev/null | grep -E '^(summary|failed):')
  # A call or two in 100,000 through the JDK's client fails with "HTTP/1.1 header parser received no bytes", seen
  # with and without an agent (a kept-alive connection the JDK's server closed as the client sent on it, it seems):
  # up to 5 of a run's calls may fail, each named on standard error.
  local failed
  failed=$(grep -o ' failed=[0-9]*' <<<"$out" | cut -d= -f2)
  [ -n "$failed" ] && [ "$failed" -le 5 ] || { echo "run failed: $client $*: $out" >&2; exit 1; }
  if [ "$failed" -gt 0 ]; then grep '^failed:' <<<"$out" | sed "s|^|$client $*: |" >&2; fi
  out=$(grep '^summary:' <<<"$out")
  awk -v calls="$calls" '{ for (i = 1; i <= NF; i++) {
      if ($i ~ /^elapsed=/) { sub("elapsed=", "", $i); sub("s", "", $i); rate = calls / $i }
      if ($i ~ /^cpu-per-call-without-jit=/) { sub("cpu-per-call-without-jit=", "", $i); sub("us", "", $i); cpu = $i } }
    printf "%s %d\n", cpu, rate }' <<<"$out"
}

phases() { # [more test-app arguments]: prints "off-us on-us off-bytes on-bytes" per pair of phases of one JVM,
  # agent for 127.0.0.1 (bytes -1 where the JVM does not tell them)
  java "-javaagent:$jar=hosts=127.0.0.1,log-level=warn" -jar test-app/target/test-app.jar \
    --calls "${PHASE_CALLS:-5000}" --phases "${PHASES:-40}" --threads "$threads" --warm-up "$warm_up" \
    --rate 1000000000 --burst 1000000000 --client "$client" "$@" 2>/dev/null | awk '/^phase: / {
      v = $3; sub("cpu-per-call-without-jit=", "", v); sub("us", "", v)
      b = $4 ~ /^bytes-per-call=/ ? $4 : "-1"; sub("bytes-per-call=", "", b)
      if ($2 == "mode=off") { off = v; boff = b } else { on = v; bon = b }
      if (++n % 2 == 0) printf "%s %s %d %d\n", off, on, boff, bon }'
}

change() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f %%", (b - a) * 100 / a }'; }

pairs() { # file of phases' lines: "off, on | median change of the pairs [quartiles] | bytes added per call"
  local ratios
  ratios=$(awk '{ printf "%.2f\n", ($2 - $1) * 100 / $1 }' "$1" | sort -g)
  awk -v off="$(median "$1" 1)" -v on="$(median "$1" 2)" -v n="$(wc -l < "$1")" \
      -v boff="$(median "$1" 3)" -v bon="$(median "$1" 4)" '
    { r[NR] = $1 }
    END { m = (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
      printf "%s, %s | %+.1f %% [%+.1f, %+.1f] | %s", off, on, m, r[int((n + 3) / 4)], r[int((3 * n + 1) / 4)],
        boff < 0 ? "n/a" : sprintf("%+d", bon - boff) }' <<<"$ratios"
}

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; $rounds runs per cell, alternating; $calls calls per run"\
  "after $warm_up not counted, $threads threads; CPU time less the JIT compiler threads'; medians"
echo
echo "| client | CPU µs per call, no agent | an empty agent | together-agent, another host | against the empty agent |"\
  "together-agent, a Together host | against the empty agent | one JVM: off, on | Together against off [quartiles] |"\
  "bytes per call | one JVM, another host: off, on | another host against off [quartiles] | bytes per call |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for client in ${CLIENTS:-okhttp jdk-http urlconnection httpclient4 httpclient5 reactor-netty jetty vertx}; do
  : > target/bench/none.txt; : > target/bench/empty.txt; : > target/bench/other.txt; : > target/bench/together.txt
  : > target/bench/phases.txt; : > target/bench/phases-other.txt
  for _ in $(seq "$rounds"); do
    phases >> target/bench/phases.txt
    phases --stand-in-host localhost >> target/bench/phases-other.txt
    if [ -n "${PHASES_ONLY:-}" ]; then continue; fi
    run >> target/bench/none.txt
    run -javaagent:target/bench/empty-agent.jar >> target/bench/empty.txt
    run "-javaagent:$jar=log-level=warn" >> target/bench/other.txt
    run "-javaagent:$jar=hosts=127.0.0.1,log-level=warn" >> target/bench/together.txt
  done
  for f in phases phases-other; do
    [ "$(wc -l < target/bench/$f.txt)" -gt 0 ] || { echo "$f failed: $client" >&2; exit 1; }
  done
  one_jvm="$(pairs target/bench/phases.txt) | $(pairs target/bench/phases-other.txt)"
  if [ -n "${PHASES_ONLY:-}" ]; then
    echo "| $client | | | | | | | $one_jvm |"
    continue
  fi
  n=$(median target/bench/none.txt 1); e=$(median target/bench/empty.txt 1)
  o=$(median target/bench/other.txt 1); t=$(median target/bench/together.txt 1)
  echo "| $client | $n | $e | $o | $(change "$e" "$o") | $t | $(change "$e" "$t") | $one_jvm |"
done
