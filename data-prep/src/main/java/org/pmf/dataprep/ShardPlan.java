package org.pmf.dataprep;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Which image goes into which shard: the listing shuffled with the seed (so each shard mixes
 * classes), then cut into consecutive runs of examples-per-shard. The same listing and settings
 * always give the same plan and the same run id.
 */
public record ShardPlan(String runId, List<Shard> shards) implements Serializable {

    /** One shard to write: its index and images in order. */
    public record Shard(int index, List<ImageRef> images) implements Serializable {

        public String fileName() {
            return String.format(Locale.ROOT, "part-%05d.shard", index);
        }

        public String badInputsFileName() {
            return String.format(Locale.ROOT, "part-%05d.bad.tsv", index);
        }
    }

    public static ShardPlan make(InputListing listing, DataPrepConfig config) {
        List<ImageRef> order = new ArrayList<>(listing.images());
        Collections.shuffle(order, new Random(config.seed()));
        List<Shard> shards = new ArrayList<>();
        int per = config.examplesPerShard();
        for (int start = 0, i = 0; start < order.size(); start += per, i++) {
            shards.add(new Shard(i, List.copyOf(order.subList(start, Math.min(order.size(), start + per)))));
        }
        return new ShardPlan(runId(listing, config), List.copyOf(shards));
    }

    private static String runId(InputListing listing, DataPrepConfig config) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.format(Locale.ROOT, "v1 size=%d patch=%d per=%d seed=%d%n", config.imageSize(), config.patchSize(),
                    config.examplesPerShard(), config.seed()).getBytes(StandardCharsets.UTF_8));
            for (String c : listing.classes()) {
                sha.update((c + "\n").getBytes(StandardCharsets.UTF_8));
            }
            for (ImageRef r : listing.images()) {
                sha.update((r.name() + "\t" + r.label() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
