package io.togetheragent.it;

/** The fault suite on Vert.x 4's HttpClient, its body read in parts as they come. */
class Vertx4FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.vertx("vertx-4", "--stream");
    }
}
