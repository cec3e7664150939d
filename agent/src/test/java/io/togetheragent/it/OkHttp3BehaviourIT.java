package io.togetheragent.it;

/** The shared behaviour suite on OkHttp 3.14. */
class OkHttp3BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.okHttp("okhttp-3");
    }
}
