package org.pmf.spark;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;
import org.pmf.eval.FeatureStatistics;
import org.pmf.eval.FidInception;
import org.pmf.eval.FmnistEvalConfig;
import org.pmf.eval.FrechetDistance;
import org.pmf.eval.InceptionConfig;
import org.pmf.eval.InceptionScore;
import org.pmf.eval.SampleEvaluator;
import org.pmf.io.Json;
import org.pmf.sample.ClassGrid;
import org.pmf.sample.Sampler;
import org.pmf.spark.eval.SampleChunks;

/**
 * {@code spark-job evaluate}: one-step samples of a checkpoint generated across the executors
 * (the paper's protocol: 50 per class, 50,000 for ImageNet) and scored, either with FID and
 * Inception Score through the FID Inception-v3 ({@code --metrics fid-is}, user-supplied weights,
 * reference statistics optional) or with the offline Fashion-MNIST evaluator ({@code --metrics fmnist}:
 * class accuracy, FD-FMNIST, precision, recall). Prints one line and writes the figures as JSON.
 */
public final class EvaluateCommand {

    static final CliOption METRICS = new CliOption("metrics", "KIND",
        "fid-is (default: FID and Inception Score, needs pmf.eval.inception.weights-file) or fmnist (the offline evaluator)");
    static final CliOption PER_CLASS = new CliOption("per-class", "N", "samples per class (default 50, the paper's 50,000 for 1000 classes)");
    static final CliOption CHUNK = new CliOption("chunk-size", "N", "samples per Spark task (default 250)");
    static final CliOption BATCH = new CliOption("batch-size", "N", "samples per network pass inside a task (default 25)");
    static final CliOption OUT = new CliOption("out", "JSON",
        "where to write the figures (default: <run>/eval/step-N-<ema>-omega-W.json)");
    public static final List<CliOption> OPTIONS = List.of(CliOption.CONF_FILE, GenerateCommand.STEP, GenerateCommand.EMA,
        GenerateCommand.OMEGA, GenerateCommand.INTERVAL, PER_CLASS, GenerateCommand.STEPS, GenerateCommand.SEED, METRICS,
        CHUNK, BATCH, OUT, CliOption.HELP);
    static final String SUMMARY = "Generates samples of a checkpoint across the executors and scores them (FID and IS, or the Fashion-MNIST metrics).";

    private EvaluateCommand() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse("evaluate", OPTIONS, args);
        if (cli.has("help")) {
            System.out.println(CommandLine.help("evaluate", SUMMARY, OPTIONS));
            return;
        }
        Config config = ConfigLoader.load(cli.confFile().orElse(null), cli.overrides());
        SparkConf sparkConf = new SparkConf().setAppName("pmf evaluate");
        if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster("local[*]");
        }
        try (JavaSparkContext spark = new JavaSparkContext(sparkConf)) {
            Map<String, Object> figures = run(spark, config, cli);
            System.out.println("evaluate: " + figures);
        }
    }

    /** Generates, scores, writes the JSON and returns the figures. */
    static Map<String, Object> run(JavaSparkContext spark, Config config, CommandLine cli) throws IOException {
        ConfigSection eval = ConfigSection.of(config, "pmf").section("eval");
        String metrics = cli.get("metrics").orElse("fid-is");
        if (!metrics.equals("fid-is") && !metrics.equals("fmnist")) {
            throw new CommandLine.CliError("evaluate: --metrics must be fid-is or fmnist, not " + metrics);
        }
        InceptionConfig inception = InceptionConfig.fromConfig(eval.section("inception"));
        String weights = metrics.equals("fid-is") ? inception.requireWeights() : null;

        Configuration hadoop = spark.hadoopConfiguration();
        CheckpointModel model = CheckpointModel.load(config, cli.get("step").map(Long::parseLong), cli.get("ema"), hadoop);
        double omega = Double.parseDouble(cli.get("omega").orElse("1"));
        String[] interval = cli.get("interval").orElse("0,1").split(",");
        Sampler sampler = model.sampler(omega, Double.parseDouble(interval[0]), Double.parseDouble(interval[1]),
            Integer.parseInt(cli.get("sampling-steps").orElse("1")));
        int perClass = positive(cli, "per-class", 50);
        int[] classes = ClassGrid.spreadClasses(model.net().numClasses(), model.net().numClasses());
        long total = (long) classes.length * perClass;
        List<SampleChunks.Chunk> chunks = SampleChunks.chunks(total, positive(cli, "chunk-size", 250));

        Broadcast<CheckpointModel> shared = spark.broadcast(model);
        JavaRDD<SampleChunks.Output> outputs = spark.parallelize(chunks, chunks.size())
            .mapPartitions(new SampleChunks.Generate(shared, sampler, classes, perClass,
                Long.parseLong(cli.get("seed").orElse("0")), positive(cli, "batch-size", 25), weights,
                inception.widthDivisor(), TrainCommand.fileSystemSettings(hadoop)))
            .persist(StorageLevel.MEMORY_AND_DISK());
        spark.setJobDescription("pMF evaluate: " + total + " samples of step " + model.step());
        long start = System.nanoTime();
        outputs.count(); // all chunks in parallel; the driver then reads them back in order
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("run", model.runDir());
        figures.put("step", model.step());
        figures.put("weights", model.emaLabel());
        figures.put("omega", omega);
        figures.put("interval", interval[0] + "," + interval[1]);
        figures.put("samples", total);
        figures.put("metrics", metrics);
        if (weights != null) {
            scoreInception(outputs.toLocalIterator(), total, inception, hadoop, figures);
        } else {
            scoreFashionMnist(outputs.toLocalIterator(), FmnistEvalConfig.fromConfig(eval), model, figures);
        }
        outputs.unpersist();
        shared.destroy();
        figures.put("seconds", (System.nanoTime() - start) / 1e9);

        Path out = new Path(cli.get("out").orElse(new Path(model.runDir(), String.format(Locale.ROOT,
            "eval/step-%08d-%s-omega-%s.json", model.step(), model.emaLabel(), omega)).toString()));
        try (OutputStream o = out.getFileSystem(hadoop).create(out, true)) {
            o.write((toJson(figures) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        figures.put("written", out.toString());
        return figures;
    }

    private static void scoreInception(Iterator<SampleChunks.Output> outputs, long total, InceptionConfig inception,
                                       Configuration hadoop, Map<String, Object> figures) throws IOException {
        FeatureStatistics.Accumulator features = new FeatureStatistics.Accumulator(-1);
        InceptionScore is = new InceptionScore(total, inception.splits(), FidInception.LOGITS);
        while (outputs.hasNext()) {
            SampleChunks.Output o = outputs.next();
            features.add(o.pool());
            is.add(o.logits());
        }
        InceptionScore.Result score = is.result();
        figures.put("inception_score", score.mean());
        figures.put("inception_score_std", score.std());
        if (!inception.referenceStats().isBlank()) {
            FeatureStatistics reference = FeatureStatistics.readNpz(localCopy(inception.referenceStats(), hadoop));
            figures.put("fid", FrechetDistance.between(features.result(), reference));
            figures.put("reference", inception.referenceStats());
        }
    }

    private static void scoreFashionMnist(Iterator<SampleChunks.Output> outputs, FmnistEvalConfig config, CheckpointModel model,
                                          Map<String, Object> figures) throws IOException {
        List<INDArray> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        while (outputs.hasNext()) {
            SampleChunks.Output o = outputs.next();
            pixels.add(o.pixels());
            for (int l : o.labels()) {
                labels.add(l);
            }
        }
        INDArray all = Nd4j.concat(0, pixels.toArray(INDArray[]::new));
        INDArray nchw = org.pmf.data.PatchLayout.rgb(model.net().imageSize(), model.net().patchSize())
            .unpatchify(all).permute(0, 3, 1, 2).dup('c');
        SampleEvaluator.Metrics m = SampleEvaluator.open(config, s -> { }).evaluate(nchw,
            labels.stream().mapToInt(Integer::intValue).toArray());
        figures.put("class_accuracy", m.classAccuracy());
        figures.put("fd_fmnist", m.fd());
        figures.put("precision", m.precision());
        figures.put("recall", m.recall());
    }

    /** Reference statistics may live on any Hadoop file system; the npz reader wants a local file. */
    private static java.nio.file.Path localCopy(String file, Configuration hadoop) throws IOException {
        Path src = new Path(file);
        FileSystem fs = src.getFileSystem(hadoop);
        if (fs.getScheme().equals("file")) {
            return java.nio.file.Path.of(src.toUri().getPath());
        }
        java.nio.file.Path local = Files.createTempFile("pmf-reference-", ".npz");
        local.toFile().deleteOnExit();
        fs.copyToLocalFile(false, src, new Path(local.toUri()), true);
        return local;
    }

    private static int positive(CommandLine cli, String option, int fallback) {
        String v = cli.get(option).orElse(String.valueOf(fallback));
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.CliError("evaluate: --" + option + " must be a positive whole number, not " + v);
    }

    private static String toJson(Map<String, Object> figures) {
        StringBuilder b = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, Object> e : figures.entrySet()) {
            b.append(sep).append(Json.quote(e.getKey())).append(':');
            Object v = e.getValue();
            b.append(v instanceof Number ? v.toString() : Json.quote(String.valueOf(v)));
            sep = ",";
        }
        return b.append('}').toString();
    }
}
