package org.pmf.spark;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigSection;
import org.pmf.eval.FmnistEvalConfig;
import org.pmf.eval.SampleEvaluator;
import org.pmf.sample.Sampler;
import org.pmf.sample.ClassGrid;
import org.pmf.model.PmfNet;

/**
 * {@code spark-job generate}: one-step samples of a checkpoint (its raw weights or any EMA) as a
 * PNG grid, one row per class; optionally scored with the offline Fashion-MNIST evaluator. Runs in
 * the driver alone: a grid is one forward pass.
 */
public final class GenerateCommand {

    static final CliOption STEP = new CliOption("step", "N", "checkpoint step to use (default: the newest committed one)");
    static final CliOption EMA = new CliOption("ema", "KIMG", "use the EMA with this half-life in kimg (default: the raw weights)");
    static final CliOption OMEGA = new CliOption("omega", "W", "guidance scale, >= 1 (default 1: no guidance)");
    static final CliOption INTERVAL = new CliOption("interval", "MIN,MAX", "guidance interval in t (default 0,1)");
    static final CliOption CLASSES = new CliOption("classes", "C,C,...",
        "the classes to sample, one grid row each (default: every class; ImageNet has 1000)");
    static final CliOption PER_CLASS = new CliOption("per-class", "N", "samples per class: one grid row each (default 8)");
    static final CliOption STEPS = new CliOption("sampling-steps", "K", "network evaluations per sample (default 1)");
    static final CliOption SEED = new CliOption("seed", "S", "seed of the noise (default 0)");
    static final CliOption OUT = new CliOption("out", "PNG", "where to write the grid (default: <run>/samples-step-N.png)");
    static final CliOption EVALUATE = new CliOption("evaluate", null,
        "score the samples with the Fashion-MNIST evaluator (pmf.eval): class accuracy, FD-FMNIST, precision, recall");
    public static final List<CliOption> OPTIONS =
        List.of(CliOption.CONF_FILE, STEP, EMA, OMEGA, INTERVAL, CLASSES, PER_CLASS, STEPS, SEED, OUT, EVALUATE, CliOption.HELP);
    static final String SUMMARY = "Writes a grid of one-step samples of a run's checkpoint (pmf.run names the run).";

    private GenerateCommand() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse("generate", OPTIONS, args);
        if (cli.has("help")) {
            System.out.println(CommandLine.help("generate", SUMMARY, OPTIONS));
            return;
        }
        Config config = cli.loadConfig();
        System.out.println("generate: wrote " + run(config, cli, DriverHadoopConf.fromSparkSettings()));
    }

    static Path run(Config config, CommandLine cli, Configuration hadoop) throws IOException {
        // The network's shape, noise scale and prediction kind are those the checkpoint was trained with.
        CheckpointModel model = CheckpointModel.load(config, cli.get("step").map(Long::parseLong), cli.get("ema"), hadoop);
        PmfNet net = model.network();

        double omega = Double.parseDouble(cli.get("omega").orElse("1"));
        String[] interval = cli.get("interval").orElse("0,1").split(",");
        int perClass = Integer.parseInt(cli.get("per-class").orElse("8"));
        Sampler sampler = model.sampler(omega, Double.parseDouble(interval[0]), Double.parseDouble(interval[1]),
            Integer.parseInt(cli.get("sampling-steps").orElse("1")));
        int[] classes = cli.get("classes").isPresent()
            ? java.util.Arrays.stream(cli.get("classes").get().split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray()
            : ClassGrid.spreadClasses(model.net().numClasses(), model.net().numClasses());
        ClassGrid samples = ClassGrid.generate(net, sampler, classes, perClass,
            Long.parseLong(cli.get("seed").orElse("0")));

        Path out = new Path(cli.get("out").orElse(new Path(model.runDir(), String.format("samples-step-%08d.png", model.step())).toString()));
        FileSystem fs = out.getFileSystem(hadoop);
        try (OutputStream o = fs.create(out, true)) {
            samples.grid().writePng(o);
        }
        if (cli.has("evaluate")) {
            SampleEvaluator evaluator = SampleEvaluator.open(
                FmnistEvalConfig.fromConfig(ConfigSection.of(config, "pmf").section("eval")), System.out::println);
            System.out.println("generate: step " + model.step() + ", omega " + omega + ": "
                + evaluator.evaluate(samples.nchw(), samples.labels()));
        }
        return out;
    }
}
