package io.togetheragent.it;

/** The shared behaviour suite on Jetty's HttpClient 9.4, over HTTPS to api.together.xyz. */
class Jetty9HttpsBehaviourIT extends Jetty9BehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
