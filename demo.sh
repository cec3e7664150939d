#!/usr/bin/env bash
# Builds the agent and the test-app, then runs the test-app (a "legacy service" with no retry logic) against its
# embedded Together stand-in, without the agent and with it, through each HTTP client the agent supports.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B -q -DskipTests package
load=(--calls 40 --threads 8 --rate 10 --burst 5)
agent=agent/target/together-agent.jar

for client in okhttp jdk-http urlconnection httpclient4 httpclient5 reactor-netty jetty vertx; do
  echo
  echo "== $client, without the agent"
  java -jar test-app/target/test-app.jar --client "$client" "${load[@]}"
  echo
  if [ "$client" = okhttp ]; then
    echo "== $client, with the agent: java -javaagent:$agent=hosts=127.0.0.1 ..."
    java -javaagent:"$agent"=hosts=127.0.0.1 -jar test-app/target/test-app.jar --client "$client" "${load[@]}"
  else
    echo "== $client, with the agent, only its warnings: java -javaagent:$agent=hosts=127.0.0.1,log-level=warn ..."
    java -javaagent:"$agent"=hosts=127.0.0.1,log-level=warn -jar test-app/target/test-app.jar --client "$client" "${load[@]}"
  fi
done
