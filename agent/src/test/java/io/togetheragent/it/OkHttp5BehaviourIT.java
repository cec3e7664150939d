package io.togetheragent.it;

/** The shared behaviour suite on OkHttp 5.x. */
class OkHttp5BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.okHttp("okhttp-5");
    }
}
