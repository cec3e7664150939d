package io.togetheragent.it;

/** The shared behaviour suite on java.net.http.HttpClient. */
class JdkHttpClientBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jdkHttpClient();
    }

    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
