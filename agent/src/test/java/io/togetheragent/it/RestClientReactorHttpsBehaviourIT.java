package io.togetheragent.it;

/** The shared behaviour suite on Spring RestClient with ReactorClientHttpRequestFactory, over HTTPS. */
class RestClientReactorHttpsBehaviourIT extends RestClientReactorBehaviourIT {
    @Override
    protected boolean https() {
        return true;
    }
}
