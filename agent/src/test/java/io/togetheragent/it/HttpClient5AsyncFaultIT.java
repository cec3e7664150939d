package io.togetheragent.it;

/** The fault suite on Apache HttpClient 5.6, async. */
class HttpClient5AsyncFaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.httpClient5Async("httpclient5-newest");
    }
}
