package org.pmf.spark;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.perceptual.PerceptualConfig;
import org.pmf.perceptual.PerceptualLosses;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;
import org.pmf.config.RunConfig;
import org.pmf.io.Checkpoint;
import org.pmf.io.CheckpointPolicy;
import org.pmf.io.CheckpointStore;
import org.pmf.io.WriteRetry;
import org.pmf.io.shard.Manifest;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.Ema;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.OptimizerConfig;
import org.pmf.report.MetricsHistory;
import org.pmf.spark.train.ParameterAveragingTrainer;
import org.pmf.spark.train.PmfReplica;
import org.pmf.spark.train.RoundsAsSteps;
import org.pmf.spark.train.ShardReplicaFactory;
import org.pmf.spark.train.TrainerState;
import org.pmf.train.CheckpointListener;
import org.pmf.train.CheckpointPreviews;
import org.pmf.train.MetricsListener;
import org.pmf.train.PreviewConfig;
import org.pmf.train.ProgressListener;
import org.pmf.train.TrainConfig;
import org.pmf.train.TrainListener;
import org.pmf.train.TrainingContext;
import org.pmf.train.TrainingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spark-job train}: pMF by synchronous parameter averaging over Spark tasks, from data-prep's
 * shards, with checkpoints under {@code <pmf.run.output>/<pmf.run.name>/} on any Hadoop file system.
 * A run resumes from its newest committed checkpoint unless told not to.
 */
public final class TrainCommand {

    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    static final CliOption RESUME = new CliOption("resume", "MODE",
        "auto (default): continue from the newest committed checkpoint if there is one; never: refuse to start over one");
    public static final List<CliOption> OPTIONS = List.of(CliOption.CONF_FILE, RESUME, CliOption.HELP);
    static final String SUMMARY = "Trains pixel MeanFlow by parameter averaging across Spark executors (pmf.train, pmf.model, ...).";

    private TrainCommand() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse("train", OPTIONS, args);
        if (cli.has("help")) {
            System.out.println(CommandLine.help("train", SUMMARY, OPTIONS));
            return;
        }
        Config config = cli.loadConfig();
        String resume = cli.get("resume").orElse("auto");
        if (!resume.equals("auto") && !resume.equals("never")) {
            throw new CommandLine.CliError("train: --resume must be auto or never, not " + resume);
        }
        SparkConf sparkConf = new SparkConf().setAppName("pmf train");
        TrainConfig train = TrainConfig.fromConfig(ConfigSection.of(config, "pmf").section("train"));
        if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster("local[" + train.tasks() + "]");
        }
        try (JavaSparkContext spark = new JavaSparkContext(sparkConf)) {
            Path last = run(spark, config, resume.equals("auto"));
            System.out.println("train: done; newest checkpoint " + last);
        }
    }

    /** Trains as configured and returns the newest committed checkpoint's folder. */
    public static Path run(JavaSparkContext spark, Config config, boolean resume) throws Exception {
        ConfigSection pmf = ConfigSection.of(config, "pmf");
        RunConfig run = RunConfig.fromConfig(pmf.section("run"));
        TrainConfig train = TrainConfig.fromConfig(pmf.section("train"));
        PmfNetConfig net = PmfNetConfig.fromConfig(pmf.section("model"));
        ObjectiveOptions objective = ObjectiveOptions.fromConfig(pmf.section("objective"));
        OptimizerConfig optimizer = OptimizerConfig.fromConfig(pmf.section("optimizer"));
        EmaConfig emaConfig = EmaConfig.fromConfig(pmf.section("ema"));
        CheckpointPolicy policy = CheckpointPolicy.fromConfig(pmf.section("checkpoint"));
        if (train.data().isBlank()) {
            throw new ConfigError("pmf.train.data", "is empty; set it to the shard folder data-prep wrote");
        }
        if (policy.everySteps() % train.localSteps() != 0) {
            throw new ConfigError("pmf.checkpoint.every-steps", "= " + policy.everySteps()
                + " is not allowed: must be a multiple of pmf.train.local-steps (" + train.localSteps() + ")");
        }

        Configuration hadoop = spark.hadoopConfiguration();
        Path dataDir = new Path(train.data());
        FileSystem dataFs = dataDir.getFileSystem(hadoop);
        Manifest manifest;
        try {
            manifest = Manifest.read(dataFs, dataDir);
        } catch (IOException e) {
            throw new IOException("cannot read the shard manifest " + new Path(dataDir, Manifest.FILE_NAME)
                + " (pmf.train.data): " + e.getMessage(), e);
        }
        PerceptualConfig perceptual = PerceptualConfig.fromConfig(pmf.section("perceptual"));
        PerceptualLosses.requireWeightFiles(perceptual, hadoop);
        ShardReplicaFactory factory = new ShardReplicaFactory(net, objective, perceptual, optimizer, run.seed(),
            dataDir.makeQualified(dataFs.getUri(), dataFs.getWorkingDirectory()).toString(), manifest,
            fileSystemSettings(hadoop), train.batchSize());

        // the driver only averages and checkpoints: its replica needs no perceptual networks
        PmfReplica driverModel = new PmfReplica(net, objective, optimizer, run.seed());
        long globalBatch = (long) train.batchSize() * train.tasks();
        TrainingContext ctx = new TrainingContext(driverModel.net().params(), driverModel.optimizer(), globalBatch,
            train.steps(), run.seed());
        Ema ema = new Ema(emaConfig, globalBatch * train.localSteps(), ctx.params().values());
        String runDir = new Path(new Path(run.output()), run.name()).toString();
        CheckpointStore store = CheckpointStore.open(runDir, hadoop, WriteRetry.fromConfig(pmf.section("checkpoint")));
        Optional<Checkpoint> latest = store.loadLatest();
        if (latest.isPresent()) {
            if (!resume) {
                throw new IllegalStateException(runDir + " already holds checkpoints (newest: step " + latest.get().step()
                    + "); run with --resume auto to continue it, or choose another pmf.run.name");
            }
            TrainingSnapshot.restore(latest.get(), ctx, ema);
            if (ctx.step() % train.localSteps() != 0) {
                throw new IllegalStateException("checkpoint step " + ctx.step() + " is not a multiple of pmf.train.local-steps ("
                    + train.localSteps() + "); resume with the local-steps the run was started with");
            }
            LOG.info("resuming {} from step {} ({} images seen)", runDir, ctx.step(), ctx.imagesSeen());
        }
        LOG.info("training {}: {} tasks x batch {} = global batch {}, K = {} local steps per round, {} steps, data {} ({} shards, {} examples)",
            runDir, train.tasks(), train.batchSize(), globalBatch, train.localSteps(), train.steps(), train.data(),
            manifest.shards().size(), manifest.totalExamples());

        FileSystem runFs = new Path(runDir).getFileSystem(hadoop);
        RunProvenance.capture(ctx.step(), run.seed(), dataFs, dataDir, manifest, spark.version()).write(runFs, new Path(runDir));
        // previews before the checkpoint listener, so that a checkpoint's loss curve includes its own step
        CheckpointPreviews previews = new CheckpointPreviews(PreviewConfig.fromConfig(pmf.section("preview")), runFs,
            new Path(runDir), net, objective, ema);
        List<TrainListener> listeners = List.of(
            new ProgressListener(1, line -> LOG.info("{}", line)),
            new MetricsListener(runFs, new Path(runDir, MetricsHistory.fileName(ctx.step()))),
            previews,
            new CheckpointListener(store, policy, ema, ConfigLoader.renderWithoutSecrets(config), List.of(previews)));
        RoundsAsSteps driver = new RoundsAsSteps(driverModel, ctx, ema, train.localSteps(), listeners);
        ParameterAveragingTrainer<org.pmf.train.PmfTrainingStep.Batch> trainer = new ParameterAveragingTrainer<>(spark, factory,
            new ParameterAveragingTrainer.Settings(train.tasks(), train.localSteps(), run.seed(), train.maxNonFiniteRounds(),
                train.treeDepth(), train.threadsPerTask()), List.of(driver));

        Map<String, INDArray> start = new LinkedHashMap<>();
        driverModel.state().forEach((k, v) -> start.put(k, v.dup()));
        driver.start();
        try {
            trainer.run(new TrainerState(start, ctx.step() / train.localSteps(), ctx.step(), ctx.imagesSeen()), train.rounds());
        } catch (Exception e) {
            driver.abort();
            throw e;
        }
        return new Path(runDir, CheckpointStore.stepName(store.committedSteps().get(store.committedSteps().size() - 1)));
    }

    /** The driver's fs.* Hadoop settings, which executors need to reach the same file systems. */
    static Map<String, String> fileSystemSettings(Configuration hadoop) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : hadoop) {
            if (e.getKey().startsWith("fs.")) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
