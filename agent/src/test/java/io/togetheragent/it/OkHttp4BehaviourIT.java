package io.togetheragent.it;

/** The shared behaviour suite on OkHttp 4.12. */
class OkHttp4BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.okHttp("okhttp-4");
    }
}
