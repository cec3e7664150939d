package io.togetheragent.core;

import java.util.function.Function;

/**
 * Headers held as a client's array of its own header objects (Apache HttpClient's), read through the client's
 * getters: the list is walked once for all the names the core reads.
 */
public final class HeaderArray<H> implements HeaderList {
    private final H[] headers;
    private final Function<H, String> name;
    private final Function<H, String> value;

    public HeaderArray(H[] headers, Function<H, String> name, Function<H, String> value) {
        this.headers = headers;
        this.name = name;
        this.value = value;
    }

    @Override
    public int count() {
        return headers.length;
    }

    @Override
    public String name(int index) {
        return name.apply(headers[index]);
    }

    @Override
    public String value(int index) {
        return value.apply(headers[index]);
    }
}
