package io.togetheragent.it;

/** The shared behaviour suite on Jetty's HttpClient 9.4. */
class Jetty9BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jetty9("jetty-9");
    }

    /** Its probe has no asynchronous variant: the Jetty 12 suite sends with listeners. */
    @Override
    protected boolean hasAsync() {
        return false;
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
