package io.togetheragent.it;

/** The shared behaviour suite on Reactor Netty's HttpClient (1.3) over HTTPS to api.together.xyz. */
class ReactorNettyHttpsBehaviourIT extends ReactorNettyBehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
