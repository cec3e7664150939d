package io.togetheragent.it;

/** The fault suite on Apache HttpClient 4.5. */
class HttpClient4FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient4();
    }
}
