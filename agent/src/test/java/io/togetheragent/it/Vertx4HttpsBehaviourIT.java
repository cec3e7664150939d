package io.togetheragent.it;

/** The shared behaviour suite on Vert.x 4's HttpClient, over HTTPS to api.together.xyz. */
class Vertx4HttpsBehaviourIT extends Vertx4BehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
