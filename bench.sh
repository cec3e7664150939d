#!/usr/bin/env bash
# Start-up overhead benchmark: whole JVM runs without and with the agent (and, for reference, with the
# OpenTelemetry Java agent, its exporters off), alternating run by run, in one run of this script. Reports the
# median wall time, CPU time (user + system) and peak resident memory of each. This machine is shared and noisy:
# compare the columns of one row, not runs of different days.
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
mkdir -p target/bench
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

median() { # file, column (1 wall, 2 cpu, 3 peak): the median of that column
  cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

cells() { # without-file, with-file: "wall | wall | added | cpu | cpu | added | peak | peak | added"
  local w0 w1 c0 c1 m0 m1
  w0=$(median "$1" 1); w1=$(median "$2" 1)
  c0=$(median "$1" 2); c1=$(median "$2" 2)
  m0=$(( $(median "$1" 3) / 1024 )); m1=$(( $(median "$2" 3) / 1024 ))
  printf '%d | %d | %+d | %d | %d | %+d | %d | %d | %+d' "$w0" "$w1" $((w1 - w0)) "$c0" "$c1" $((c1 - c0)) \
    "$m0" "$m1" $((m1 - m0))
}

row() { # label, then the java arguments after "java"; with OTEL=1 also a reference row with OpenTelemetry's agent
  local label=$1; shift
  local without=target/bench/without.txt with=target/bench/with.txt other=target/bench/otel.txt
  : > "$without"; : > "$with"; : > "$other"
  for _ in $(seq "$runs"); do
    measure "$without" "$@"
    measure "$with" "$agent" "$@"
    if [ "${OTEL:-0}" = 1 ]; then measure "$other" "${otel[@]}" "$@"; fi
  done
  printf '| %s | %s |\n' "$label" "$(cells "$without" "$with")"
  if [ "${OTEL:-0}" = 1 ]; then
    printf '| %s, OpenTelemetry agent %s instead (exporters off) | %s |\n' "$label" "$otel_version" \
      "$(cells "$without" "$other")"
  fi
}

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; $runs runs per cell, alternating; medians"
echo
echo "| JVM run | wall ms without | with | added | CPU ms without | with | added | peak MiB without | with | added |"
echo "|---|---|---|---|---|---|---|---|---|---|"
row 'prints "hi", no HTTP client' -cp target/bench Hello
OTEL=1 row "test-app: stand-in + 1 call via okhttp" -jar test-app/target/test-app.jar --client okhttp --calls 1
for client in jdk-http urlconnection httpclient4 httpclient5 reactor-netty jetty vertx; do
  row "test-app: stand-in + 1 call via $client" -jar test-app/target/test-app.jar --client "$client" --calls 1
done
# Over HTTPS, as every call to Together is: the JDK's HTTPS connection loads the default SSLContext with or without
# the agent, whose connection (an HttpsURLConnection) loads it for a plain-http URL too.
row "test-app: stand-in over HTTPS + 1 call via urlconnection" "${trust[@]}" -jar test-app/target/test-app.jar \
  --client urlconnection --calls 1 --tls "$tls/server.p12"
