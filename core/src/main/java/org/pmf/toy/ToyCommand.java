package org.pmf.toy;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/**
 * The {@code toy} command: the paper's 2-D experiment (pmf-method.md section 5.10). For each D it
 * trains an x-prediction and a u-prediction MLP with the same pMF v-loss, prints a table of the
 * sliced Wasserstein-2 and Chamfer distances between one-step samples and fresh Swiss-roll points
 * (in the plane), and writes the scatter-plot figure {@code toy.png}.
 */
public final class ToyCommand {

    static final CliOption DIMS = new CliOption("dims", "D,D,...", "lift dimensions, e.g. 2,8,16,512 (pmf.toy.dims)");
    static final CliOption STEPS = new CliOption("steps", "N", "optimizer steps per network (pmf.toy.steps)");
    static final CliOption BATCH = new CliOption("batch", "B", "examples per step (pmf.toy.batch)");
    static final CliOption SEED = new CliOption("seed", "S", "seed of everything random (pmf.toy.seed)");
    static final CliOption OUTPUT_DIR = new CliOption("output-dir", "DIR", "folder of the figure toy.png (pmf.toy.output-dir)");
    static final CliOption PARALLEL_CELLS = new CliOption("parallel-cells", "N",
        "table cells trained at once, one core each (pmf.toy.parallel-cells)");
    static final List<CliOption> OPTIONS = List.of(DIMS, STEPS, BATCH, SEED, OUTPUT_DIR, PARALLEL_CELLS, CliOption.CONF_FILE, CliOption.HELP);

    private ToyCommand() {
    }

    public static void main(String[] args) throws IOException {
        CommandLine cl = CommandLine.parse("toy", OPTIONS, args);
        if (cl.has(CliOption.HELP.name())) {
            System.out.print(CommandLine.help("toy", "The paper's 2-D toy: x- vs u-prediction on a Swiss roll lifted to D dimensions.", OPTIONS));
            return;
        }
        Config config = ConfigLoader.load(cl.confFile().orElse(null), cl.overrides());
        ToyOptions o = ToyOptions.fromConfig(ConfigSection.of(config, "pmf.toy"));
        if (cl.has(DIMS.name())) {
            List<Integer> dims = new ArrayList<>();
            for (String d : cl.get(DIMS.name()).orElseThrow().split(",")) {
                dims.add(parseInt(DIMS, d.trim()));
            }
            o = o.withDims(dims);
        }
        if (cl.has(STEPS.name())) {
            o = o.withSteps(parseInt(STEPS, cl.get(STEPS.name()).orElseThrow()));
        }
        if (cl.has(BATCH.name())) {
            o = o.withBatch(parseInt(BATCH, cl.get(BATCH.name()).orElseThrow()));
        }
        if (cl.has(SEED.name())) {
            o = o.withSeed(Long.parseLong(cl.get(SEED.name()).orElseThrow()));
        }
        if (cl.has(OUTPUT_DIR.name())) {
            o = o.withOutputDir(cl.get(OUTPUT_DIR.name()).orElseThrow());
        }
        if (cl.has(PARALLEL_CELLS.name())) {
            o = o.withParallelCells(parseInt(PARALLEL_CELLS, cl.get(PARALLEL_CELLS.name()).orElseThrow()));
        }
        run(o);
    }

    static List<ToyExperiment.Result> run(ToyOptions o) throws IOException {
        long start = System.nanoTime();
        ToyTrainer.Settings t = o.train();
        System.out.printf("toy: dims %s, %d steps, batch %d, MLP %d x %d ReLU (hidden layers %s), Adam lr %.2g, seed %d%n"
                + "  time inputs %s, output layer %s, tangent %s, EMA %s%n  times %s%n"
                + "  loss weighting %s; %d cells at once, one native thread each; load average %s%n",
            o.dims(), o.steps(), t.batch(), t.depth(), t.hidden(), t.hiddenInit(), t.learningRate(), o.seed(),
            t.balancedTime() ? "(c t, c h), c = sqrt(D / 2)" : "raw (t, h)", t.zeroOutput() ? "zero-initialised" : "Xavier",
            t.tangent(), t.emaDecay(), t.time(), t.loss(), o.parallelCells(), loadAverage());
        List<ToyExperiment.Result> results = ToyCells.run(o, o.parallelCells(), System.out, r -> System.out.printf(
            "  D = %4d  %s  SW2 %.4f  Chamfer %.4f  final ||V - v_t||^2 %.3f  %.1f s%n", r.dim(), r.kind().label(), r.distance(), r.chamfer(),
            r.finalLoss(), r.seconds()));
        List<ScatterFigure.Row> rows = new ArrayList<>();
        double[] data = SwissRoll.sample(o.evalSamples(), new java.util.SplittableRandom(o.seed() + 0xDA7AL));
        for (int i = 0; i + 1 < results.size(); i += 2) {
            rows.add(new ScatterFigure.Row("D = " + results.get(i).dim(), List.of(data, results.get(i).samples(), results.get(i + 1).samples())));
        }
        System.out.println();
        System.out.println(table(results, ToyExperiment.dataFloor(o)));
        Path figure = Path.of(o.outputDir(), "toy.png");
        List<String> titles = new ArrayList<>();
        titles.add("data");
        for (PredictionKind k : PredictionKind.values()) {
            titles.add(k.label());
        }
        ScatterFigure.write(figure, titles, rows);
        System.out.printf("figure: %s%ntotal time %.1f s; load average at the end %s%n", figure,
            (System.nanoTime() - start) / 1e9, loadAverage());
        return results;
    }

    /** The results as a Markdown table: one row per D, the two kinds' distances and their ratios. */
    static String table(List<ToyExperiment.Result> results, double[] floor) {
        StringBuilder sb = new StringBuilder();
        sb.append("Distances between 1-NFE samples projected to 2-D and fresh Swiss-roll points: sliced Wasserstein-2 (SW2, 64 directions)\n");
        sb.append(String.format("and Chamfer (CH, mean nearest-neighbour). Two independent data sets of this size: SW2 %.4f, CH %.4f%n%n", floor[0], floor[1]));
        sb.append("| D | x-pred SW2 | u-pred SW2 | u / x | x-pred CH | u-pred CH | u / x |\n|---|---|---|---|---|---|---|\n");
        for (int i = 0; i + 1 < results.size(); i += 2) {
            ToyExperiment.Result x = results.get(i);
            ToyExperiment.Result u = results.get(i + 1);
            sb.append(String.format("| %d | %.4f | %.4f | %.2f | %.4f | %.4f | %.2f |%n", x.dim(), x.distance(), u.distance(),
                u.distance() / x.distance(), x.chamfer(), u.chamfer(), u.chamfer() / x.chamfer()));
        }
        return sb.toString();
    }

    private static int parseInt(CliOption option, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new CommandLine.CliError("toy: --" + option.name() + " needs an integer, got '" + s + "'");
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
