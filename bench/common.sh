# What the bench scripts share; sourced by them from the project's root.

median() { # file, column: the median of that column of numbers (of an even count, the middle two's mean, whole
  # where the numbers are: bench.sh does sums with them in the shell)
  cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) { print v[(NR + 1) / 2]; exit }
    m = (v[NR / 2] + v[NR / 2 + 1]) / 2; print (v[1] ~ /[.]/) ? m : int(m) }'
}

empty_agent_jar() { # makes target/bench/empty-agent.jar, whose premain does nothing: what any -javaagent costs
  mkdir -p target/bench
  cat > target/bench/EmptyAgent.java <<'JAVA'
public class EmptyAgent { public static void premain(String a, java.lang.instrument.Instrumentation i) {} }
JAVA
  javac -d target/bench target/bench/EmptyAgent.java
  printf 'Premain-Class: EmptyAgent\n' > target/bench/empty-agent.mf
  jar cfm target/bench/empty-agent.jar target/bench/empty-agent.mf -C target/bench EmptyAgent.class
}
