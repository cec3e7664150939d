package io.togetheragent.it;

/** The shared behaviour suite on OkHttp 5.x, over HTTPS to api.together.xyz. */
class OkHttp5HttpsBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.okHttp("okhttp-5");
    }

    @Override
    protected boolean https() {
        return true;
    }
}
