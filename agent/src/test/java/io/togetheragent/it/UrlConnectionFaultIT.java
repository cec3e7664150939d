package io.togetheragent.it;

/** The fault suite on HttpURLConnection. */
class UrlConnectionFaultIT extends ClientFaultSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.urlConnection();
    }
}
