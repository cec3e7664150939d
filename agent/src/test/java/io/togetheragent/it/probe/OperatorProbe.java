package io.togetheragent.it.probe;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * An application that makes HttpURLConnection calls while an operator works the agent's JMX bean in between:
 * {@code --url U --steps call op:switchMode:observe call attrs ...} (also {@code pause:<signal-file>},
 * {@code await-attr:<name>:<value>}, {@code sleep:<ms>}). The bean is used through the platform MBean server,
 * exactly as jconsole or the JMX exporter reach it.
 */
public final class OperatorProbe {
    private static final String[] ATTRIBUTES = {
        "Requests", "RateLimited", "Overloaded", "Retries", "WouldRetry", "Recovered", "GaveUp", "KeyProblems",
        "Mode", "MaxRetries", "MaxWait",
    };

    public static void main(String[] args) throws Exception {
        int steps = Arrays.asList(args).indexOf("--steps");
        ProbeArgs p = ProbeArgs.parse(Arrays.copyOfRange(args, 0, steps));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName("together.agent:type=Agent");
        System.out.println("REGISTERED BEFORE ANY CALL " + server.isRegistered(agent));
        int call = 0;
        for (String step : Arrays.copyOfRange(args, steps + 1, args.length)) {
            if (step.equals("call")) {
                try {
                    UrlConnectionProbe.call(p, call);
                } catch (Exception e) {
                    ProbeArgs.reportError(call, e);
                }
                call++;
            } else if (step.startsWith("op:")) {
                String[] op = step.split(":", 3);
                await(server, agent);
                boolean number = op[1].equals("changeMaxRetries");
                try {
                    server.invoke(agent, op[1], new Object[] {number ? (Object) Integer.valueOf(op[2]) : op[2]},
                            new String[] {number ? "int" : String.class.getName()});
                    System.out.println("OP " + op[1] + " OK");
                } catch (Exception e) {
                    Throwable cause = e;
                    while (cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    System.out.println("OP " + op[1] + " REFUSED " + cause.getMessage());
                }
            } else if (step.startsWith("pause:")) {
                java.nio.file.Path signal = java.nio.file.Paths.get(step.substring("pause:".length()));
                System.out.println("PAUSE " + signal);
                System.out.flush();
                for (int i = 0; i < 600 && !java.nio.file.Files.exists(signal); i++) {
                    Thread.sleep(50);
                }
            } else if (step.startsWith("await-attr:")) {
                String[] a = step.split(":", 3);
                await(server, agent);
                for (int i = 0; i < 200 && !String.valueOf(server.getAttribute(agent, a[1])).equals(a[2]); i++) {
                    Thread.sleep(50);
                }
            } else if (step.startsWith("sleep:")) {
                Thread.sleep(Long.parseLong(step.substring("sleep:".length())));
            } else if (step.equals("attrs")) {
                await(server, agent);
                for (String a : ATTRIBUTES) {
                    System.out.println("ATTR " + a + " " + server.getAttribute(agent, a));
                }
                ObjectName host = new ObjectName("together.agent:type=Host,host=127.0.0.1");
                System.out.println("HOST Requests " + server.getAttribute(host, "Requests"));
                for (ObjectName lane : server.queryNames(new ObjectName("together.agent:type=Lane,*"), null)) {
                    System.out.println("LANE " + server.getAttribute(lane, "Model") + " RequestLimited "
                            + server.getAttribute(lane, "RequestLimited") + " TokenLimited "
                            + server.getAttribute(lane, "TokenLimited") + " KEY " + lane.getKeyProperty("key"));
                }
            }
        }
        System.exit(0);
    }

    /** The beans are registered on the agent's thread once the first Together request was seen. */
    private static void await(MBeanServer server, ObjectName agent) throws InterruptedException {
        for (int i = 0; i < 100 && !server.isRegistered(agent); i++) {
            Thread.sleep(50);
        }
    }
}
