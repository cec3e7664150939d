package io.togetheragent.it;

/** The fault suite on Spring WebClient over Apache HttpClient 5, its body read ahead by the agent. */
class WebClientHttpClient5FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.webClientOnHttpClient5();
    }
}
