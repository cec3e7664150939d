package io.togetheragent.it;

/** The shared behaviour suite on java.net.http.HttpClient. */
class JdkHttpClientBehaviourIT extends ClientBehaviourSuite {
    @Override
    protected ProbeRunner client() {
        return ProbeRunner.jdkHttpClient();
    }

    @Override
    protected boolean readsErrorBodies() {
        return false;
    }

    /** A request cannot be changed before it goes: the key is only checked. */
    @Override
    protected boolean repairsKeys() {
        return false;
    }

    @Override
    protected boolean schedulesRetries() {
        return true;
    }

    /** The suite's calls use {@code send}, which waits on the calling thread; {@code sendAsync} schedules. */
    @Override
    protected boolean waitsOnTheCallingThread() {
        return true;
    }
}
