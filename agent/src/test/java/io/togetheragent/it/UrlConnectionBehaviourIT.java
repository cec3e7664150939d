package io.togetheragent.it;

/** The shared behaviour suite on java.net.HttpURLConnection. */
class UrlConnectionBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.urlConnection();
    }

    @Override
    protected boolean hasAsync() {
        return false;
    }
}
