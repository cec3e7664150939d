package io.togetheragent.it;

/** The shared behaviour suite on Jetty's HttpClient 11 (10 and 11 share its API), with Jetty 9.4's probe. */
class Jetty11BehaviourIT extends Jetty9BehaviourIT {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jetty9("jetty-11");
    }
}
