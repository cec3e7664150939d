package io.togetheragent.jmx;

import io.togetheragent.core.pacing.Pace;
import io.togetheragent.core.retry.Lane;

/** A {@link Lane} as a JMX bean. */
public final class LaneState implements LaneStateMBean {
    private final Lane lane;

    public LaneState(Lane lane) {
        this.lane = lane;
    }

    private Pace.State state() {
        return lane.pace.state(System.nanoTime());
    }

    @Override
    public String getModel() {
        return lane.model;
    }

    @Override
    public String getKey() {
        return lane.keyName();
    }

    @Override
    public double getRequestLimit() {
        return state().requestLimit;
    }

    @Override
    public double getRequestPace() {
        return state().requestPace;
    }

    @Override
    public double getTokenLimit() {
        return state().tokenLimit;
    }

    @Override
    public double getTokenPace() {
        return state().tokenPace;
    }

    @Override
    public double getCoolDownSeconds() {
        return state().closedForNanos / 1e9;
    }

    @Override
    public long getRequestLimited() {
        return lane.requestLimited.sum();
    }

    @Override
    public long getTokenLimited() {
        return lane.tokenLimited.sum();
    }

    @Override
    public long getOverloaded() {
        return lane.overloaded.sum();
    }
}
