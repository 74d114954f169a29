package org.pmf.train;

import java.util.Map;
import org.pmf.optim.Ema;

/** Folds the parameters into every EMA after each applied update. */
public final class EmaListener implements TrainListener {

    private final Ema ema;

    public EmaListener(Ema ema) {
        this.ema = ema;
    }

    public Ema ema() {
        return ema;
    }

    @Override
    public void onStep(TrainingContext ctx, Map<String, Double> metrics) {
        ema.update(ctx.step(), ctx.params().values());
    }
}
