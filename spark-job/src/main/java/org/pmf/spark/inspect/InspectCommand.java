package org.pmf.spark.inspect;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigSection;
import org.pmf.config.RunConfig;
import org.pmf.io.RunState;
import org.pmf.spark.DriverHadoopConf;
import org.pmf.report.MetricsHistory;

/**
 * {@code spark-job inspect}: prints what a run folder holds: its committed checkpoints and their
 * sizes, one checkpoint's counters, provenance and configuration, the metric history, and on
 * request per-tensor statistics. Reads files only; starts no Spark job.
 */
public final class InspectCommand {

    static final CliOption RUN = new CliOption("run", "URI",
        "the run folder (default: <pmf.run.output>/<pmf.run.name> of the configuration)");
    static final CliOption STEP = new CliOption("step", "N", "checkpoint to describe (default: the newest committed one)");
    static final CliOption STATS = new CliOption("stats", "WEIGHTS",
        "also print per-tensor mean/std/norm of the weights: raw, or an EMA label such as 2000");
    static final CliOption METRICS_ROWS = new CliOption("metrics-rows", "N",
        "metric history in at most N rows, each the mean of consecutive steps (default 20; 0: none)");
    public static final List<CliOption> OPTIONS = List.of(CliOption.CONF_FILE, RUN, STEP, STATS, METRICS_ROWS, CliOption.HELP);
    static final String SUMMARY = "Prints a run's checkpoints, a checkpoint's step, sizes, provenance and config, and the metric history.";

    private InspectCommand() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse("inspect", OPTIONS, args);
        if (cli.has(CliOption.HELP.name())) {
            System.out.println(CommandLine.help("inspect", SUMMARY, OPTIONS));
            return;
        }
        run(cli, DriverHadoopConf.fromSparkSettings(), System.out);
    }

    static void run(CommandLine cli, Configuration hadoop, PrintStream out) throws IOException {
        String runDir = cli.get(RUN.name()).orElseGet(() -> configuredRun(cli.loadConfig()));
        RunFolder run = RunFolder.open(runDir, hadoop);
        out.println("run " + run.path());
        List<CheckpointSummary> checkpoints = run.checkpoints();
        out.println("committed checkpoints: " + checkpoints.size());
        out.print(InspectTables.checkpoints(checkpoints).toText());

        CheckpointFolder c = cli.get(STEP.name()).isPresent()
            ? run.checkpoint(Long.parseLong(cli.get(STEP.name()).get()))
            : run.latest().orElse(null);
        if (c != null) {
            RunState state = c.state();
            out.println();
            out.println("checkpoint step " + c.step() + ": " + state.imagesSeen() + " images seen, seed " + state.seed()
                + ", counters " + state.counters() + ", weights " + c.weightChoices());
            out.print(InspectTables.files(c.summary()).toText());
            out.println();
            out.println("provenance:");
            out.print(InspectTables.provenance(run.provenanceOf(c.step()).stream().toList()).toText());
            out.println();
            out.println("config (" + new Path(c.path(), org.pmf.io.CheckpointStore.CONFIG) + "):");
            out.println(c.configText().strip());
            if (cli.get(STATS.name()).isPresent()) {
                String weights = cli.get(STATS.name()).get();
                out.println();
                out.println("tensor statistics, weights " + weights + ":");
                out.print(InspectTables.statistics(c.statistics(weights)).toText());
            }
        }
        int rows = Integer.parseInt(cli.get(METRICS_ROWS.name()).orElse("20"));
        if (rows > 0) {
            MetricsHistory metrics = run.metrics();
            out.println();
            out.println("metrics: " + metrics.rows().size() + " logged steps" + (metrics.rows().size() > rows
                ? ", shown as " + rows + " means of consecutive steps" : ""));
            if (!metrics.isEmpty()) {
                out.print(InspectTables.metrics(metrics.smoothed(rows)).toText());
            }
        }
    }

    private static String configuredRun(Config config) {
        RunConfig run = RunConfig.fromConfig(ConfigSection.of(config, "pmf").section("run"));
        return new Path(new Path(run.output()), run.name()).toString();
    }
}
