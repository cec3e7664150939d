package io.togetheragent.it;

/** The fault suite on java.net.http's blocking send. */
class JdkHttpClientFaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jdkHttpClient();
    }
}
