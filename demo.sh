#!/usr/bin/env bash
# Builds the agent and the test-app, then runs the test-app (a "legacy service" with no retry logic) against its
# embedded Together stand-in twice: without the agent, and with it.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B -q -DskipTests package
load=(--client okhttp --calls 40 --threads 8 --rate 10 --burst 5)

echo
echo "== without the agent"
java -jar test-app/target/test-app.jar "${load[@]}"

echo
echo "== with the agent: java -javaagent:agent/target/together-agent.jar=hosts=127.0.0.1 ..."
java -javaagent:agent/target/together-agent.jar=hosts=127.0.0.1 -jar test-app/target/test-app.jar "${load[@]}"
