package io.togetheragent.core;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map from a client's objects (its requests, its clients) to the agent's, by identity, that never keeps a key
 * alive: an entry whose key is collected goes at a later put. Read without a lock: a synchronized
 * {@code WeakHashMap} asked on every call of every thread is one lock for all of them.
 */
public final class WeakIdentityMap<K, V> {
    private final ConcurrentHashMap<Object, V> entries = new ConcurrentHashMap<>();
    private final ReferenceQueue<K> collected = new ReferenceQueue<>();

    public V get(K key) {
        return entries.get(new Lookup(key));
    }

    public boolean containsKey(K key) {
        return entries.containsKey(new Lookup(key));
    }

    public void put(K key, V value) {
        for (Object gone; (gone = collected.poll()) != null; ) {
            entries.remove(gone);
        }
        entries.put(new Key<>(key, collected), value);
    }

    public V remove(K key) {
        return entries.remove(new Lookup(key));
    }

    int size() {
        return entries.size();
    }

    /** The key as stored: equal only to itself, or to a lookup of the same object while it lives. */
    private static final class Key<K> extends WeakReference<K> {
        private final int hash;

        Key(K key, ReferenceQueue<K> queue) {
            super(key, queue);
            hash = System.identityHashCode(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /** A collected key is equal only to itself, so that it can still be removed. */
        @Override
        public boolean equals(Object other) {
            Object key = get();
            return other == this || key != null && (other instanceof Lookup && ((Lookup) other).key == key
                    || other instanceof Key && ((Key<?>) other).get() == key);
        }
    }

    /** A key as asked for: the map compares it with a stored key by calling this one's equals. */
    private static final class Lookup {
        private final Object key;

        Lookup(Object key) {
            this.key = key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key && ((Key<?>) other).get() == key;
        }
    }
}
