package io.togetheragent.it;

/** The shared behaviour suite on java.net.HttpURLConnection, over HTTPS to api.together.xyz. */
class UrlConnectionHttpsBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.urlConnection();
    }

    @Override
    protected boolean https() {
        return true;
    }

    @Override
    protected boolean hasAsync() {
        return false;
    }
}
