package io.togetheragent.it.probe;

/** An application that makes no HTTP call at all. */
public final class IdleProbe {
    public static void main(String[] args) {
        System.out.println("IDLE");
    }
}
