package io.togetheragent.it;

/** The fault suite on Vert.x 4's WebClient, which reads the whole body. */
class VertxWebClientFaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.vertx("vertx-4", "--variant", "webclient");
    }
}
