package org.pmf.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training the Spark tests run, as config overrides: a 16 px network small enough for a round
 * to take about a second, 2 tasks of batch 4 averaged every K = 2 steps, a checkpoint every 4 steps.
 */
final class TinyTrainingSettings {

    private TinyTrainingSettings() {
    }

    static Map<String, String> of(String name, String output, long seed, int classes, String data, long steps) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("pmf.run.name", name);
        o.put("pmf.run.output", output);
        o.put("pmf.run.seed", String.valueOf(seed));
        o.put("pmf.model.preset", "tiny");
        o.put("pmf.model.image-size", "16");
        o.put("pmf.model.hidden-size", "32");
        o.put("pmf.model.heads", "2");
        o.put("pmf.model.trunk-depth", "1");
        o.put("pmf.model.head-depth", "1");
        o.put("pmf.model.bottleneck", "24");
        o.put("pmf.model.swiglu-hidden", "40");
        o.put("pmf.model.num-classes", String.valueOf(classes));
        o.put("pmf.train.data", data);
        o.put("pmf.train.batch-size", "4");
        o.put("pmf.train.tasks", "2");
        o.put("pmf.train.local-steps", "2");
        o.put("pmf.train.steps", String.valueOf(steps));
        o.put("pmf.checkpoint.every-steps", "4");
        return o;
    }
}
