package org.pmf.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counters a resumed run needs besides tensors, stored as {@code state.json} in a checkpoint.
 *
 * @param step       updates applied
 * @param imagesSeen training images consumed (global batch x steps when nothing was skipped)
 * @param seed       the run seed (pmf.run.seed) the step generators derive from
 * @param counters   further named counters, e.g. the sampler's epoch and position or the Spark round
 */
public record RunState(long step, long imagesSeen, long seed, Map<String, Long> counters) {

    public RunState {
        if (step < 0 || imagesSeen < 0) {
            throw new IllegalArgumentException("run state needs step >= 0 and imagesSeen >= 0, got " + step + ", " + imagesSeen);
        }
        counters = Map.copyOf(counters);
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{\"step\":").append(step).append(",\"images_seen\":").append(imagesSeen)
                .append(",\"seed\":").append(seed).append(",\"counters\":{");
        String sep = "";
        for (Map.Entry<String, Long> c : new java.util.TreeMap<>(counters).entrySet()) {
            b.append(sep).append(Json.quote(c.getKey())).append(':').append(c.getValue());
            sep = ",";
        }
        return b.append("}}\n").toString();
    }

    /** Parses {@link #toJson()} output; {@code source} names the file in errors. */
    public static RunState fromJson(String text, String source) {
        try {
            Map<?, ?> m = (Map<?, ?>) Json.parse(text);
            Map<String, Long> counters = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("counters")).entrySet()) {
                counters.put((String) e.getKey(), (Long) e.getValue());
            }
            return new RunState((Long) m.get("step"), (Long) m.get("images_seen"), (Long) m.get("seed"), counters);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not a run state (step, images_seen, seed, counters): " + e.getMessage(), e);
        }
    }
}
