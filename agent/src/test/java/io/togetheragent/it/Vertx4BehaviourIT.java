package io.togetheragent.it;

/** The shared behaviour suite on Vert.x 4's HttpClient. */
class Vertx4BehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.vertx("vertx-4");
    }

    /** It decides on an answer's status and headers, as they come, and leaves the body to the application. */
    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    /** Its bodies are known only as they are written. */
    @Override
    protected boolean identifiesBodies() {
        return false;
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }
}
