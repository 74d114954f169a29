package org.pmf.train;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.pmf.report.MetricsHistory;
import org.pmf.perceptual.PerceptualConfig;
import org.pmf.perceptual.PerceptualLosses;
import org.pmf.data.PatchLayout;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;
import org.pmf.config.RunConfig;
import org.pmf.data.FashionMnist;
import org.pmf.eval.FmnistEvalConfig;
import org.pmf.eval.GuidanceSweep;
import org.pmf.eval.SampleEvaluator;
import org.pmf.io.Checkpoint;
import org.pmf.io.CheckpointStore;
import org.pmf.io.Json;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.objective.ObjectiveOptions;
import org.pmf.optim.Ema;
import org.pmf.optim.EmaConfig;
import org.pmf.optim.Optimizer;
import org.pmf.parallel.Workers;

/**
 * Command: trains pMF on Fashion-MNIST in this JVM (the {@link LocalTrainer} with progress,
 * metrics, EMA and checkpoint listeners), for a number of steps or a wall-clock budget, then scores
 * one-step class-conditional samples at several guidance scales (class accuracy of the project's
 * classifier, FD-FMNIST, precision / recall) and draws the best scale's samples. Settings:
 * {@code pmf.local} plus the shared sections of reference.conf; results in the run folder.
 */
public final class TrainFashionMnist {

    static final String COMMAND = "TrainFashionMnist";
    static final CliOption MINUTES = new CliOption("minutes", "M", "training budget in minutes (pmf.local.budget-minutes; clock: pmf.local.budget-clock)");
    static final CliOption EVALUATE_ONLY = new CliOption("evaluate-only", null,
        "no training: evaluate the newest checkpoint of the run (pmf.run.output / pmf.run.name)");
    static final CliOption TRAIN_ONLY = new CliOption("train-only", null,
        "no evaluation at the end (run it later with --evaluate-only)");
    static final List<CliOption> OPTIONS = List.of(MINUTES, EVALUATE_ONLY, TRAIN_ONLY, CliOption.CONF_FILE, CliOption.HELP);

    /** Which parts of the command run. */
    public enum Parts {
        TRAIN_AND_EVALUATE(true, true), TRAIN_ONLY(true, false), EVALUATE_ONLY(false, true);

        final boolean train;
        final boolean evaluate;

        Parts(boolean train, boolean evaluate) {
            this.train = train;
            this.evaluate = evaluate;
        }
    }

    /** What a run ended with: updates applied and the evaluation (null when it was not run). */
    public record Outcome(long steps, long imagesSeen, double trainSeconds, GuidanceSweep.Result evaluation) {
    }

    private TrainFashionMnist() {
    }

    public static void main(String[] args) throws IOException {
        CommandLine cli = CommandLine.parse(COMMAND, OPTIONS, args);
        if (cli.has(CliOption.HELP.name())) {
            System.out.print(CommandLine.help(COMMAND, "Trains pMF on Fashion-MNIST in one JVM for a step count or a time "
                + "budget, then scores one-step samples (class accuracy, FD-FMNIST, precision/recall) at several guidance "
                + "scales and draws the best.", OPTIONS));
            return;
        }
        Map<String, String> overrides = new LinkedHashMap<>(cli.overrides());
        cli.get(MINUTES.name()).ifPresent(m -> overrides.put("pmf.local.budget-minutes", m));
        Config config = ConfigLoader.load(cli.confFile().orElse(null), overrides);
        if (cli.has(EVALUATE_ONLY.name()) && cli.has(TRAIN_ONLY.name())) {
            throw new CommandLine.CliError(COMMAND + ": --evaluate-only and --train-only exclude each other");
        }
        Parts parts = cli.has(EVALUATE_ONLY.name()) ? Parts.EVALUATE_ONLY
            : cli.has(TRAIN_ONLY.name()) ? Parts.TRAIN_ONLY : Parts.TRAIN_AND_EVALUATE;
        Outcome o = run(config, parts, System.out::println);
        System.out.printf(Locale.ROOT, "%s: %d steps, %d images, %.0f s of training%s%n", COMMAND, o.steps(), o.imagesSeen(),
            o.trainSeconds(), o.evaluation() == null ? "" : "; best omega " + o.evaluation().best().omega() + ": "
                + o.evaluation().best().metrics());
    }

    /** Trains and evaluates as {@code config} says, or only one of the two. */
    public static Outcome run(Config config, Parts parts, Consumer<String> log) throws IOException {
        ConfigSection pmf = ConfigSection.of(config, "pmf");
        TrainingSettings settings = TrainingSettings.fromConfig(pmf);
        EmaConfig emaConfig = settings.ema();
        FmnistEvalConfig evalConfig = FmnistEvalConfig.fromConfig(pmf.section("eval"));
        LocalRunConfig local = LocalRunConfig.fromConfig(pmf.section("local"));
        if (local.emaHalfLifeKimg() != 0 && !emaConfig.halfLivesKimg().contains(local.emaHalfLifeKimg())) {
            throw pmf.section("local").section("eval").invalid("ema-half-life-kimg", local.emaHalfLifeKimg(),
                "0 (raw weights) or one of pmf.ema.half-lives-kimg " + emaConfig.halfLivesKimg());
        }

        try (Workers workers = Workers.of(parts.train ? local.workerThreads() : 1)) {
            return run(config, settings, local, evalConfig, parts, workers, log);
        }
    }

    private static Outcome run(Config config, TrainingSettings settings, LocalRunConfig local, FmnistEvalConfig evalConfig,
                               Parts parts, Workers workers, Consumer<String> log) throws IOException {
        RunConfig run = settings.run();
        TrainConfig train = settings.train();
        PmfNetConfig netConfig = settings.model();
        ObjectiveOptions objective = settings.objective();
        EmaConfig emaConfig = settings.ema();
        PmfNet net = PmfNet.create(netConfig, DataType.FLOAT, true, run.seed());
        Optimizer optimizer = new Optimizer(settings.optimizer(), net.params(), workers);
        TrainingContext ctx = new TrainingContext(net.params(), optimizer, train.batchSize(), train.steps(), run.seed());
        Ema ema = new Ema(emaConfig, train.batchSize(), net.params().values());
        Configuration hadoop = new Configuration();
        Path runDir = new Path(new Path(run.output()), run.name());
        FileSystem fs = runDir.getFileSystem(hadoop);
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem checksummed) {
            fs = checksummed.getRawFileSystem();   // no .crc files beside the metrics and the picture
        }
        CheckpointStore store = CheckpointStore.open(runDir.toString(), hadoop);
        Optional<Checkpoint> latest = store.loadLatest();
        if (latest.isPresent()) {
            TrainingSnapshot.restore(latest.get(), ctx, ema);
            log.accept(COMMAND + ": continuing " + runDir + " from its checkpoint at step " + ctx.step());
        } else if (!parts.train) {
            throw new IllegalStateException(runDir + " holds no checkpoint to evaluate");
        }
        log.accept(String.format(Locale.ROOT, "%s: model %s (%d parameters), prediction %s, time sampler %s, batch %d, "
                + "budget %s min (%s clock), steps <= %d; %d worker thread(s), OMP_NUM_THREADS=%s; load average %s", COMMAND, netConfig,
            net.params().size(), objective.prediction(), objective.time().mode(), train.batchSize(), local.budgetMinutes(),
            local.budgetClock().name().toLowerCase(Locale.ROOT), train.steps(), workers.threads(),
            System.getenv("OMP_NUM_THREADS"), loadAverage()));

        double trainSeconds = 0;
        if (parts.train) {
            FashionMnist data = FashionMnist.read(evalConfig.dataDir(), FashionMnist.Split.TRAIN,
                local.trainImages() == 0 ? Integer.MAX_VALUE : local.trainImages());
            PerceptualConfig perceptual = PerceptualConfig.fromConfig(ConfigSection.of(config, "pmf.perceptual"));
            DataParallelStep step = new DataParallelStep(net, objective, PerceptualLosses.sharingWeights(perceptual,
                PatchLayout.rgb(netConfig.imageSize(), netConfig.patchSize()), net.params().dataType(),
                new org.apache.hadoop.conf.Configuration()), workers);
            TimeBudget<PmfTrainingStep.Batch> batches = new TimeBudget<>(new InMemoryBatches(data.patches(netConfig.patchSize()),
                data.labels(), train.batchSize(), run.seed(), ctx::step), local.budgetMinutes(), local.budgetClock());
            List<TrainListener> listeners = new ArrayList<>();
            listeners.add(new EmaListener(ema));
            listeners.add(new ProgressListener(local.progressEvery(), log::accept, batches));
            listeners.add(new MetricsListener(fs, new Path(runDir, MetricsHistory.fileName(ctx.step()))));
            listeners.add(new CheckpointListener(store, settings.checkpoint(), ema, ConfigLoader.renderWithoutSecrets(config)));
            new LocalTrainer<PmfTrainingStep.Batch>(b -> step.computeGradients(b, StepSeeds.forStep(run.seed(), ctx.step(), 0)),
                listeners, train.maxNonFiniteRounds()).fit(ctx, batches);
            trainSeconds = ctx.elapsedSeconds();
            log.accept(String.format(Locale.ROOT, "%s: trained to step %d (%d images) in %.0f s wall, %.1f min on the %s clock; "
                + "load average %s", COMMAND, ctx.step(), ctx.imagesSeen(), trainSeconds, batches.minutesUsed(),
                local.budgetClock().name().toLowerCase(Locale.ROOT), loadAverage()));
        }
        workers.close();   // the evaluation samples with ND4J's own native threads again

        if (!parts.evaluate) {
            return new Outcome(ctx.step(), ctx.imagesSeen(), trainSeconds, null);
        }
        PmfNet evaluated = PmfNet.create(netConfig, DataType.FLOAT, true, run.seed());
        evaluated.params().values().assign(local.emaHalfLifeKimg() == 0 ? net.params().values() : ema.average(local.emaHalfLifeKimg()));
        SampleEvaluator evaluator = SampleEvaluator.open(evalConfig, log);
        log.accept(String.format(Locale.ROOT, "%s: evaluating the %s weights at step %d: %d samples per omega, interval [%s, %s]",
            COMMAND, local.weightsLabel(), ctx.step(), local.eval().samples(), local.eval().tMin(), local.eval().tMax()));
        GuidanceSweep.Result result = new GuidanceSweep(local.eval(), evaluator)
            .run(evaluated, objective.prediction(), objective.noiseScale(), log);
        Map<String, String> describe = new LinkedHashMap<>();
        describe.put("step", Long.toString(ctx.step()));
        describe.put("images_seen", Long.toString(ctx.imagesSeen()));
        describe.put("weights", Json.quote(local.weightsLabel()));
        describe.put("model", Json.quote(netConfig.toString()));
        describe.put("prediction", Json.quote(objective.prediction().name()));
        describe.put("time_sampler", Json.quote(objective.time().mode().name()));
        describe.put("load_average", Json.quote(loadAverage()));
        EvaluationReport.write(fs, runDir, result, describe);
        log.accept(COMMAND + ": wrote " + new Path(runDir, EvaluationReport.METRICS_FILE) + " and " + new Path(runDir, EvaluationReport.GRID_FILE));
        return new Outcome(ctx.step(), ctx.imagesSeen(), trainSeconds, result);
    }

    private static String loadAverage() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
