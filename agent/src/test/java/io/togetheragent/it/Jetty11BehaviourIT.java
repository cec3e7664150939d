package io.togetheragent.it;

/** The shared behaviour suite on Jetty's HttpClient 11. */
class Jetty11BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jetty9("jetty-11");
    }

    /** Its probe has no asynchronous variant: the Jetty 12 suite sends with listeners. */
    @Override
    protected boolean hasAsync() {
        return false;
    }

    /** Its bodies are known only as they are sent. */
    @Override
    protected boolean identifiesBodies() {
        return false;
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
