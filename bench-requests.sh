#!/usr/bin/env bash
# Loopback saturation benchmark: many small chat-completion calls through each client against the test-app's
# stand-in (in the same JVM, no rate limit), without the agent, with it for a host it leaves alone, and with it for
# a Together host, alternating run by run. Reports the median calls per second of each and the difference. The
# first calls of each JVM warm it up and are not counted. This machine is shared and noisy: compare the columns of
# one row, not runs of different days.
# Usage: ./bench-requests.sh [rounds, default 5] [calls per run, default 4000] [threads, default 4]
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-5}
calls=${2:-4000}
threads=${3:-4}
mvn -B -q -DskipTests package
mkdir -p target/bench
jar=agent/target/together-agent.jar

rate() { # the java arguments before -jar: prints calls per second of one run
  local out
  out=$(java "$@" -jar test-app/target/test-app.jar --calls "$calls" --threads "$threads" --warm-up "$((calls / 4))" \
    --rate 1000000000 --burst 1000000000 --client "$client" 2>/dev/null | grep '^summary:')
  case "$out" in *" failed=0 "*) ;; *) echo "run failed: $out" >&2; exit 1 ;; esac
  awk -v calls="$calls" '{ for (i = 1; i <= NF; i++) if ($i ~ /^elapsed=/) { sub("elapsed=", "", $i); sub("s", "", $i);
    printf "%d\n", calls / $i } }' <<<"$out"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

change() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f %%", (b - a) * 100 / a }'; }

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; $rounds runs per cell, alternating; $calls calls per run"\
  "after $((calls / 4)) not counted, $threads threads; medians, calls per second"
echo
echo "| client | without the agent | with it, another host | change | with it, a Together host | change |"
echo "|---|---|---|---|---|---|"
for client in okhttp jdk-http urlconnection httpclient4 httpclient5 reactor-netty jetty vertx; do
  : > target/bench/none.txt; : > target/bench/other.txt; : > target/bench/together.txt
  for _ in $(seq "$rounds"); do
    rate >> target/bench/none.txt
    rate "-javaagent:$jar=log-level=warn" >> target/bench/other.txt
    rate "-javaagent:$jar=hosts=127.0.0.1,log-level=warn" >> target/bench/together.txt
  done
  n=$(median target/bench/none.txt); o=$(median target/bench/other.txt); t=$(median target/bench/together.txt)
  echo "| $client | $n | $o | $(change "$n" "$o") | $t | $(change "$n" "$t") |"
done
