package io.togetheragent.it;

/** The shared behaviour suite on java.net.http.HttpClient, over HTTPS to api.together.xyz. */
class JdkHttpClientHttpsBehaviourIT extends JdkHttpClientBehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
