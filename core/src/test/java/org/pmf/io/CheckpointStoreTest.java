package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.config.ConfigLoader;
import org.pmf.nn.Initializer;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.optim.Ema;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.Optimizer;
import org.pmf.optim.OptimizerConfig;

class CheckpointStoreTest {

    @TempDir
    java.nio.file.Path tmp;

    static final CheckpointPolicy KEEP_ALL = new CheckpointPolicy(1, 1000, 0);
    static final String CONFIG = ConfigLoader.renderWithoutSecrets(ConfigFactory.parseString("pmf { run { name = demo } }"));

    /** On the raw local file system, like S3: no side checksum files, only the store's own SHA-256 guards. */
    CheckpointStore store() throws IOException {
        return new CheckpointStore(FileSystem.getLocal(new Configuration()).getRawFileSystem(),
                new Path(tmp.resolve("runs/demo").toUri()));
    }

    /** Through Hadoop's default file:// file system, which keeps .crc side files and checks them on read. */
    CheckpointStore checksummedStore() throws IOException {
        return CheckpointStore.open(tmp.resolve("runs/demo").toUri().toString(), new Configuration());
    }

    static ParamSet model() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.FLOAT);
        b.add("block.weight", new long[] {4, 3}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("block.bias", new long[] {3}, Param.Role.OTHER, Initializer.normal(0, 1));
        return b.build(5);
    }

    static Checkpoint checkpointAt(long step) {
        INDArray w = Nd4j.createFromArray(new float[] {step, 1, 2}).reshape(3);
        return new Checkpoint(Map.of("w", w), Map.of("optimizer.count", Nd4j.createFromArray(new long[] {step})),
                Map.of(), new RunState(step, step * 8, 42, Map.of()), CONFIG);
    }

    @Test
    void everyPieceOfTrainingStateRoundTrips() throws IOException {
        ParamSet ps = model();
        Optimizer opt = new Optimizer(OptimizerConfig.paperDefaults(), ps);
        Ema ema = new Ema(EmaConfig.paperDefaults(), 8, ps.values());
        SplittableRandom rng = new SplittableRandom(9);
        for (long step = 1; step <= 3; step++) {
            for (long i = 0; i < ps.size(); i++) {
                ps.grads().putScalar(i, rng.nextGaussian());
            }
            opt.step();
            ema.update(step, ps.values());
        }
        Map<String, Map<String, INDArray>> emas = new java.util.LinkedHashMap<>();
        for (double h : ema.config().halfLivesKimg()) {
            emas.put(Ema.tensorName(h).substring(4), ParamTensors.views(ps, ema.average(h)));
        }
        RunState state = new RunState(3, 24, 42, Map.of("sampler.epoch", 1L, "sampler.position", 17L));
        store().save(new Checkpoint(ParamTensors.views(ps, ps.values()), opt.state().toTensors(), emas, state, CONFIG), KEEP_ALL);

        Checkpoint back = store().loadLatest().orElseThrow();
        assertEquals(state, back.state());
        assertEquals(CONFIG, back.config());

        ParamSet restored = model();
        restored.values().assign(0);
        Map<String, INDArray> views = ParamTensors.views(restored, restored.values());
        for (Map.Entry<String, INDArray> e : back.weights().entrySet()) {
            views.get(e.getKey()).assign(e.getValue());
        }
        assertEquals(ps.values(), restored.values());
        assertEquals(ps.get("block.weight").value(), back.weights().get("block.weight"), "weights are stored by name and shape");

        Optimizer opt2 = new Optimizer(OptimizerConfig.paperDefaults(), restored);
        opt2.state().load(back.optimizer());
        assertEquals(opt.state().firstMoment(), opt2.state().firstMoment());
        assertEquals(opt.state().secondMoment(), opt2.state().secondMoment());
        assertEquals(3, opt2.state().count());

        assertEquals(List.of("500", "1000", "2000"), List.copyOf(back.emas().keySet()));
        for (double h : ema.config().halfLivesKimg()) {
            Map<String, INDArray> saved = back.emas().get(Ema.tensorName(h).substring(4));
            INDArray flat = Nd4j.create(DataType.FLOAT, ps.size());
            Map<String, INDArray> target = ParamTensors.views(ps, flat);
            saved.forEach((k, v) -> target.get(k).assign(v));
            assertEquals(ema.average(h), flat);
        }
    }

    @Test
    void latestPointsToTheNewestCommittedStep() throws IOException {
        CheckpointStore s = store();
        assertEquals(Optional.empty(), s.loadLatest());
        s.save(checkpointAt(100), KEEP_ALL);
        s.save(checkpointAt(200), KEEP_ALL);
        assertEquals(Optional.of(200L), s.latestPointer());
        assertEquals(200, s.loadLatest().orElseThrow().step());
        assertEquals(List.of(100L, 200L), s.committedSteps());
    }

    @Test
    void aStepWithoutCommitMarkerIsIgnored() throws IOException {
        CheckpointStore s = store();
        s.save(checkpointAt(100), KEEP_ALL);
        s.save(checkpointAt(200), KEEP_ALL);
        // A save of step 300 that died before its marker: the files are there, COMMIT is not.
        s.save(checkpointAt(300), KEEP_ALL);
        Files.delete(tmp.resolve("runs/demo/step-00000300/COMMIT"));
        Files.writeString(tmp.resolve("runs/demo/LATEST"), "step-00000300\n");
        assertEquals(List.of(100L, 200L), s.committedSteps());
        assertEquals(200, s.loadLatest().orElseThrow().step());
        assertThrows(IOException.class, () -> s.load(300));
    }

    @Test
    void aStepWhoseFileDoesNotMatchItsChecksumIsIgnored() throws IOException {
        corruptLatestAndExpectFallback(store());
    }

    @Test
    void aStepFailingTheFileSystemsOwnChecksumIsIgnored() throws IOException {
        corruptLatestAndExpectFallback(checksummedStore());
    }

    void corruptLatestAndExpectFallback(CheckpointStore s) throws IOException {
        s.save(checkpointAt(100), KEEP_ALL);
        s.save(checkpointAt(200), KEEP_ALL);
        // Same size, one byte different: only the checksum can tell.
        java.nio.file.Path weights = tmp.resolve("runs/demo/step-00000200/weights.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(weights, bytes);
        assertEquals(100, s.loadLatest().orElseThrow().step());
        assertThrows(IOException.class, () -> s.load(200));
    }

    @Test
    void aStepWithATruncatedFileOrAGarbledMarkerIsIgnored() throws IOException {
        CheckpointStore s = store();
        s.save(checkpointAt(100), KEEP_ALL);
        s.save(checkpointAt(200), KEEP_ALL);
        s.save(checkpointAt(300), KEEP_ALL);
        java.nio.file.Path state = tmp.resolve("runs/demo/step-00000300/state.json");
        Files.writeString(state, "{\"step\":");
        Files.writeString(tmp.resolve("runs/demo/step-00000200/COMMIT"), "{\"step\":200,\"files\":{\"weights.safe");
        assertEquals(List.of(100L), s.committedSteps());
        assertEquals(100, s.loadLatest().orElseThrow().step());
    }

    @Test
    void retentionKeepsTheLastNPlusEveryMthAndDropsAbandonedSaves() throws IOException {
        CheckpointStore s = store();
        CheckpointPolicy policy = new CheckpointPolicy(100, 2, 300);
        s.save(checkpointAt(100), policy);
        s.save(checkpointAt(200), policy);
        // an abandoned save of 250
        Files.createDirectories(tmp.resolve("runs/demo/step-00000250"));
        Files.writeString(tmp.resolve("runs/demo/step-00000250/weights.safetensors"), "partial");
        for (long step = 300; step <= 700; step += 100) {
            s.save(checkpointAt(step), policy);
        }
        assertEquals(List.of(300L, 600L, 700L), s.committedSteps());
        assertFalse(Files.exists(tmp.resolve("runs/demo/step-00000250")));
        assertFalse(Files.exists(tmp.resolve("runs/demo/step-00000500")));
        assertTrue(Files.exists(tmp.resolve("runs/demo/step-00000600/COMMIT")));
    }

    @Test
    void secretsNeverReachTheCheckpoint() throws IOException {
        com.typesafe.config.Config withSecrets = ConfigFactory.parseString(
                "pmf { run { name = demo }, storage { s3a { access-key = AKIAEXAMPLE, secret-key = s3cr3t,"
                        + " session.token = tok3n }, db { password = hunter2 } } }");
        String redacted = ConfigLoader.renderWithoutSecrets(withSecrets);
        Checkpoint c = new Checkpoint(Map.of(), Map.of(), Map.of(), new RunState(1, 1, 0, Map.of()), redacted);
        store().save(c, KEEP_ALL);
        String stored = Files.readString(tmp.resolve("runs/demo/step-00000001/config.conf"), StandardCharsets.UTF_8);
        for (String secret : List.of("AKIAEXAMPLE", "s3cr3t", "tok3n", "hunter2")) {
            assertFalse(stored.contains(secret), "checkpoint config contains " + secret + ":\n" + stored);
        }
        assertTrue(stored.contains("<redacted>"));

        String raw = withSecrets.root().render();
        Checkpoint leaky = new Checkpoint(Map.of(), Map.of(), Map.of(), new RunState(2, 2, 0, Map.of()), raw);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store().save(leaky, KEEP_ALL));
        assertTrue(e.getMessage().contains("pmf.storage"), e.getMessage());
    }
}
