package io.togetheragent.it;

/** The fault suite on OkHttp 4.12, the OpenAI Java SDK's client. */
class OkHttp4FaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.okHttp("okhttp-4");
    }
}
