package io.togetheragent.instrumentation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A method's name and what a hook relies on of its parameters and return type, in JVM descriptor form. */
final class Signature {
    final String name;
    int count = -1;
    private final Map<Integer, String> args = new HashMap<>();
    String returns;

    Signature(String name) {
        this.name = name;
    }

    void takes(String... types) {
        count = types.length;
        for (int i = 0; i < types.length; i++) {
            arg(i, types[i]);
        }
    }

    void arg(int index, String type) {
        args.put(index, descriptor(type));
    }

    boolean matches(String methodName, String methodDescriptor) {
        if (!name.equals(methodName)) {
            return false;
        }
        List<String> params = parameters(methodDescriptor);
        if (count >= 0 && params.size() != count) {
            return false;
        }
        for (Map.Entry<Integer, String> arg : args.entrySet()) {
            if (arg.getKey() >= params.size() || !params.get(arg.getKey()).equals(arg.getValue())) {
                return false;
            }
        }
        return returns == null || methodDescriptor.endsWith(")" + returns);
    }

    /** {@code int} gives {@code I}, {@code a.B$C[]} gives {@code [La/B$C;}. */
    static String descriptor(String javaType) {
        if (javaType.endsWith("[]")) {
            return "[" + descriptor(javaType.substring(0, javaType.length() - 2));
        }
        switch (javaType) {
            case "void": return "V";
            case "boolean": return "Z";
            case "byte": return "B";
            case "char": return "C";
            case "short": return "S";
            case "int": return "I";
            case "long": return "J";
            case "float": return "F";
            case "double": return "D";
            default: return "L" + javaType.replace('.', '/') + ";";
        }
    }

    /** The parameters' descriptors of a method descriptor. */
    static List<String> parameters(String methodDescriptor) {
        List<String> params = new ArrayList<>();
        int i = 1;
        while (methodDescriptor.charAt(i) != ')') {
            int start = i;
            while (methodDescriptor.charAt(i) == '[') {
                i++;
            }
            i = methodDescriptor.charAt(i) == 'L' ? methodDescriptor.indexOf(';', i) + 1 : i + 1;
            params.add(methodDescriptor.substring(start, i));
        }
        return params;
    }
}
