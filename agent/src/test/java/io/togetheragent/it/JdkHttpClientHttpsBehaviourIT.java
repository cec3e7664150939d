package io.togetheragent.it;

/** The shared behaviour suite on java.net.http.HttpClient, over HTTPS to api.together.xyz. */
class JdkHttpClientHttpsBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jdkHttpClient();
    }

    @Override
    protected boolean https() {
        return true;
    }

    @Override
    protected boolean readsErrorBodies() {
        return false;
    }
}
