package io.togetheragent.it;

/** The shared behaviour suite on Jetty's HttpClient 12. */
class Jetty12BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jetty12();
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
