package io.togetheragent.it;

/** The shared behaviour suite on Jetty's HttpClient 12, over HTTPS to api.together.xyz. */
class Jetty12HttpsBehaviourIT extends Jetty12BehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
