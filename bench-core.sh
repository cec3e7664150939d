#!/usr/bin/env bash
# Per-request benchmark of the agent's core (no HTTP): CPU time and bytes allocated per Together request and per
# request to another host, in one JVM, medians of rounds after warm-up rounds. Usage: ./bench-core.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests package
# Against the packaged jar (relocated SLF4J and ASM inside); CoreBench itself is compiled with the agent's tests.
java -cp agent/target/together-agent.jar:agent/target/test-classes io.togetheragent.bench.CoreBench "${1:-10}"
