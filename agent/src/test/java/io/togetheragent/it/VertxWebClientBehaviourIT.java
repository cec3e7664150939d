package io.togetheragent.it;

/** The shared behaviour suite on Vert.x 5's WebClient, its body sent with {@code sendBuffer}. */
class VertxWebClientBehaviourIT extends Vertx4BehaviourIT {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.vertx("vertx-5", "--variant", "webclient");
    }
}
