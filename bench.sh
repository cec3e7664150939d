#!/usr/bin/env bash
# Start-up overhead benchmark: wall time of whole JVM runs without and with the agent, alternating, in one run
# (this machine is shared and noisy: compare the two columns of the same run, not runs of different days).
# Usage: ./bench.sh [runs per cell, default 10]
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-10}

mvn -B -q -DskipTests package
mkdir -p target/bench
cat > target/bench/Hello.java <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hi"); } }
JAVA
javac -d target/bench target/bench/Hello.java
agent=-javaagent:agent/target/together-agent.jar=hosts=127.0.0.1,log-level=warn

mean_ms() { # command...: mean wall time of $runs runs, in ms
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  echo $(( (end - start) / runs / 1000000 ))
}

row() { # label, then the java arguments after "java"
  local label=$1; shift
  local without with
  without=$(mean_ms java "$@")
  with=$(mean_ms java "$agent" "$@")
  printf '| %s | %d | %d | %+d |\n' "$label" "$without" "$with" $((with - without))
}

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; $runs runs per cell; mean wall time in ms"
echo
echo "| JVM run | without agent | with agent | added |"
echo "|---|---|---|---|"
row 'prints "hi", no HTTP client' -cp target/bench Hello
for client in okhttp jdk-http urlconnection httpclient4 httpclient5; do
  row "test-app: stand-in + 1 call via $client" -jar test-app/target/test-app.jar --client "$client" --calls 1
done
