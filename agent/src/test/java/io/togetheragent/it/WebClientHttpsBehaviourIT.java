package io.togetheragent.it;

/** The shared behaviour suite on Spring WebClient over Reactor Netty, over HTTPS to api.together.xyz. */
class WebClientHttpsBehaviourIT extends WebClientBehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
