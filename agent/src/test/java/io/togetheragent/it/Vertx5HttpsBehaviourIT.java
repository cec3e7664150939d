package io.togetheragent.it;

/** The shared behaviour suite on Vert.x 5's HttpClient, over HTTPS to api.together.xyz. */
class Vertx5HttpsBehaviourIT extends Vertx5BehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
