package org.pmf.model;

/** Which x-prediction heads a forward pass evaluates (the trunk is always evaluated once). */
public enum Heads {
    /** The u-head only: inference, and the training step's primal when L_v is not needed. */
    U,
    /** The auxiliary v-head only: guidance-target passes at h = 0. */
    V,
    /** Both heads on one shared trunk: the training step's JVP pass. */
    BOTH;

    boolean u() {
        return this != V;
    }

    boolean v() {
        return this != U;
    }
}
