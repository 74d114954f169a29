package org.pmf.toy;

/** What the toy network's output is. Both kinds train on the same pMF v-loss. */
public enum PredictionKind {
    /** pMF: the network predicts the denoised point x_hat and u = (z - x_hat) / clip(t, 0.05, 1). */
    X_PREDICTION("x-pred"),
    /** MeanFlow / iMF: the network predicts the average velocity u directly. */
    U_PREDICTION("u-pred");

    private final String label;

    PredictionKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
