package io.togetheragent.it;

/** The fault suite on java.net.http's sendAsync. */
class JdkHttpClientAsyncFaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jdkHttpClientAsync();
    }
}
