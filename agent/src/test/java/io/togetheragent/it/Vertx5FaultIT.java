package io.togetheragent.it;

/** The fault suite on Vert.x 5's HttpClient, its body read in parts as they come. */
class Vertx5FaultIT extends Vertx4FaultIT {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.vertx("vertx-5", "--stream");
    }
}
