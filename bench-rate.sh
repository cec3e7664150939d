#!/usr/bin/env bash
# Rate benchmark: chat calls through the OpenAI Java SDK against the stand-in, all in one run, as two Markdown
# tables. One model (10 requests/s, burst 5): 200 calls from one JVM of 16 threads and from a fleet of 4 JVMs
# sharing one key; without the agent, with the SDK's own retries, and with the agent (throttle off and adaptive).
# Together's limits as they are: two models of one key limited apart, a model bound by tokens, and 503s.
# Logs go to target/bench-rate.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests install
java -cp "bench/target/bench.jar:bench/target/lib/*" io.togetheragent.bench.RateBench \
  agent/target/together-agent.jar target/bench-rate
