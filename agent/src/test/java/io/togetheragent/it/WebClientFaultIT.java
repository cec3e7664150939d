package io.togetheragent.it;

/** The fault suite on Spring WebClient over Reactor Netty. */
class WebClientFaultIT extends ReactorNettyFaultIT {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.webClient();
    }
}
