package io.togetheragent.it;

/** The shared behaviour suite on Vert.x 5's HttpClient (the agent's Vert.x helpers, built against 4, unchanged). */
class Vertx5BehaviourIT extends Vertx4BehaviourIT {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.vertx("vertx-5");
    }
}
