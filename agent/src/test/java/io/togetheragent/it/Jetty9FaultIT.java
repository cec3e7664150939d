package io.togetheragent.it;

/** The fault suite on Jetty's HttpClient 9.4, its body read as a stream. */
class Jetty9FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jetty9("jetty-9", "--stream");
    }
}
