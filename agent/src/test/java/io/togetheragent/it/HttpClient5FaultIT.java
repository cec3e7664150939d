package io.togetheragent.it;

/** The fault suite on Apache HttpClient 5.6, classic. */
class HttpClient5FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5("httpclient5-newest");
    }
}
