#!/usr/bin/env bash
# Start-up overhead benchmark: whole JVM runs without and with the agent (and, for reference, with the
# OpenTelemetry Java agent, its exporters off), and with an empty -javaagent (what the JVM itself costs once any
# agent is attached), alternating run by run, in one run of this script. Reports the median wall time, CPU time
# (user + system) and peak resident memory of each. This machine is shared and noisy: compare the columns of one
# row, not runs of different days.
# Usage: ./bench.sh [runs per cell, default 8]. Needs GNU time (/usr/bin/time; Debian's package "time").
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-8}
otel_version=2.31.0

if [ ! -x /usr/bin/time ]; then
  echo "bench.sh needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2
  exit 1
fi
mvn -B -q -DskipTests package
. bench/common.sh
empty_agent_jar
cat > target/bench/Hello.java <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hi"); } }
JAVA
javac -d target/bench target/bench/Hello.java
otel_jar=target/bench/opentelemetry-javaagent-$otel_version.jar
if [ ! -f "$otel_jar" ]; then
  mvn -B -q dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version \
    -DoutputDirectory=target/bench
fi

# A self-signed key for the stand-in over HTTPS, as Together is served, and a trust store holding it.
tls=target/bench/tls
if [ ! -f "$tls/trust.p12" ]; then
  rm -rf "$tls"; mkdir -p "$tls"
  keytool -genkeypair -alias stand-in -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 -ext san=ip:127.0.0.1 \
    -validity 3650 -keystore "$tls/server.p12" -storetype PKCS12 -storepass changeit -keypass changeit 2>/dev/null
  keytool -exportcert -alias stand-in -keystore "$tls/server.p12" -storepass changeit -file "$tls/server.crt" \
    2>/dev/null
  keytool -importcert -noprompt -alias stand-in -file "$tls/server.crt" -keystore "$tls/trust.p12" \
    -storetype PKCS12 -storepass changeit >/dev/null 2>&1
fi
trust=(-Djavax.net.ssl.trustStore="$tls/trust.p12" -Djavax.net.ssl.trustStorePassword=changeit
  -Djavax.net.ssl.trustStoreType=PKCS12)

agent=-javaagent:agent/target/together-agent.jar=hosts=127.0.0.1,log-level=warn
otel=(-javaagent:"$otel_jar" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none
  -Dotel.javaagent.logging=none)

measure() { # out-file, then the java arguments after "java": appends "wall_ms cpu_ms peak_kib"
  local out=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o target/bench/time.txt java "$@" >/dev/null 2>&1
  awk '{ printf "%d %d %d\n", $1 * 1000, ($2 + $3) * 1000, $4 }' target/bench/time.txt >> "$out"
}

cells() { # without-file, empty-agent-file, with-file: wall and CPU without, empty agent, with, added, added over the
  # empty agent; peak memory without, with, added
  local w0 we w1 c0 ce c1 m0 m1
  w0=$(median "$1" 1); we=$(median "$2" 1); w1=$(median "$3" 1)
  c0=$(median "$1" 2); ce=$(median "$2" 2); c1=$(median "$3" 2)
  m0=$(( $(median "$1" 3) / 1024 )); m1=$(( $(median "$3" 3) / 1024 ))
  printf '%d | %d | %d | %+d | %+d | %d | %d | %d | %+d | %+d | %d | %d | %+d' "$w0" "$we" "$w1" $((w1 - w0)) \
    $((w1 - we)) "$c0" "$ce" "$c1" $((c1 - c0)) $((c1 - ce)) "$m0" "$m1" $((m1 - m0))
}

row() { # label, then the java arguments after "java"; with OTEL=1 also a reference row with OpenTelemetry's agent
  local label=$1; shift
  local without=target/bench/without.txt empty=target/bench/empty.txt with=target/bench/with.txt
  local other=target/bench/otel.txt
  : > "$without"; : > "$empty"; : > "$with"; : > "$other"
  for _ in $(seq "$runs"); do
    measure "$without" "$@"
    measure "$empty" -javaagent:target/bench/empty-agent.jar "$@"
    measure "$with" "$agent" "$@"
    if [ "${OTEL:-0}" = 1 ]; then measure "$other" "${otel[@]}" "$@"; fi
  done
  printf '| %s | %s |\n' "$label" "$(cells "$without" "$empty" "$with")"
  if [ "${OTEL:-0}" = 1 ]; then
    printf '| %s, OpenTelemetry agent %s instead (exporters off) | %s |\n' "$label" "$otel_version" \
      "$(cells "$without" "$empty" "$other")"
  fi
}

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; $runs runs per cell, alternating; medians"
echo
echo "| JVM run | wall ms without | an empty agent | with | added | over the empty agent |"\
  "CPU ms without | an empty agent | with | added | over the empty agent | peak MiB without | with | added |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
row 'prints "hi", no HTTP client' -cp target/bench Hello
OTEL=1 row "test-app: stand-in + 1 call via okhttp" -jar test-app/target/test-app.jar --client okhttp --calls 1
for client in jdk-http urlconnection httpclient4 httpclient5 reactor-netty jetty vertx; do
  row "test-app: stand-in + 1 call via $client" -jar test-app/target/test-app.jar --client "$client" --calls 1
done
# Over HTTPS, as every call to Together is: the JDK's TLS is loaded with or without the agent.
row "test-app: stand-in over HTTPS + 1 call via urlconnection" "${trust[@]}" -jar test-app/target/test-app.jar \
  --client urlconnection --calls 1 --tls "$tls/server.p12"
