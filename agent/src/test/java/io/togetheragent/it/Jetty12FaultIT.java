package io.togetheragent.it;

/** The fault suite on Jetty's HttpClient 12, its body read as a stream. */
class Jetty12FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jetty12("--stream");
    }
}
