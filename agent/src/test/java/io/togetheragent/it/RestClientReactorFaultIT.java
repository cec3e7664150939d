package io.togetheragent.it;

/** The fault suite on Spring RestClient with ReactorClientHttpRequestFactory, which blocks on Reactor Netty. */
class RestClientReactorFaultIT extends ReactorNettyFaultIT {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.restClient("reactor");
    }
}
