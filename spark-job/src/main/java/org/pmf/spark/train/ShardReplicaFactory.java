package org.pmf.spark.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.pmf.data.PatchLayout;
import org.pmf.data.PixelRange;
import org.pmf.io.shard.Manifest;
import org.pmf.io.shard.PartitionStream;
import org.pmf.io.shard.ShardBatch;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.OptimizerConfig;
import org.pmf.perceptual.PerceptualConfig;
import org.pmf.parallel.Workers;
import org.pmf.perceptual.PerceptualLosses;
import org.pmf.train.PmfTrainingStep;

/**
 * Builds pMF replicas and their shard streams on executors. A record of validated settings, so
 * it travels in task closures and executor-side replica pools recognise equal factories.
 *
 * @param perceptual the perceptual terms; each replica loads their weights once (from any Hadoop path)
 * @param hadoop     the driver's {@code fs.*} Hadoop settings (s3a endpoint, credentials provider,
 *                   ...), which executors do not otherwise see; never logged
 */
public record ShardReplicaFactory(PmfNetConfig net, ObjectiveOptions objective, PerceptualConfig perceptual, OptimizerConfig optimizer,
                                  long seed, String dataDir, Manifest manifest, Map<String, String> hadoop, int batch)
        implements ReplicaFactory<PmfTrainingStep.Batch> {

    public ShardReplicaFactory {
        hadoop = Map.copyOf(hadoop);
        if (manifest.header().imageSize() != net.imageSize() || manifest.header().patchSize() != net.patchSize()) {
            throw new IllegalArgumentException("shards in " + dataDir + " hold " + manifest.header().imageSize() + " px images in "
                + manifest.header().patchSize() + " px patches, but pmf.model is " + net.imageSize() + " px with "
                + net.patchSize() + " px patches");
        }
        if (manifest.header().numClasses() > net.numClasses()) {
            throw new IllegalArgumentException("shards in " + dataDir + " have " + manifest.header().numClasses()
                + " classes, more than pmf.model's " + net.numClasses());
        }
    }

    @Override
    public Replica<PmfTrainingStep.Batch> newReplica(Workers workers) {
        return new PmfReplica(net, objective, PerceptualLosses.sharingWeights(perceptual,
            PatchLayout.rgb(net.imageSize(), net.patchSize()), DataType.FLOAT, hadoopConfiguration()), optimizer, seed, workers);
    }

    @Override
    public BatchSource<PmfTrainingStep.Batch> batches(int partition, int partitions, long firstBatch) {
        PartitionStream stream;
        try {
            FileSystem fs = FileSystem.get(URI.create(dataDir), hadoopConfiguration());
            stream = new PartitionStream(fs, new Path(dataDir), manifest, partition, partitions, seed, firstBatch * batch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the shards in " + dataDir, e);
        }
        return new BatchSource<>() {
            @Override
            public PmfTrainingStep.Batch next() {
                ShardBatch b = stream.next(batch);
                return new PmfTrainingStep.Batch(PixelRange.toModel(b.patchesUint8(), DataType.FLOAT), b.labels());
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }

    private Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        hadoop.forEach(conf::set);
        return conf;
    }

    @Override
    public int batchSize() {
        return batch;
    }
}
