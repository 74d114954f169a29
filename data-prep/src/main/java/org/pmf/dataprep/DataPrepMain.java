package org.pmf.dataprep;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/**
 * {@code data-prep}: ImageNet-style images to ADM-preprocessed uint8 patch shards plus manifest.json.
 * Every {@code --key VALUE} option sets {@code pmf.data-prep.key}, over the {@code --conf-file}s and
 * {@code -Dpmf.data-prep.key=value}; the last line printed summarises the run.
 */
public final class DataPrepMain {

    static final String SECTION = "pmf.data-prep";

    /** The options that set a key of pmf.data-prep of the same name (defaults and meaning in reference.conf). */
    static final List<CliOption> SETTINGS = List.of(
        new CliOption("input", "URI", "the images: a folder of <wnid>/ folders, the train archive, or the flat val folder"),
        new CliOption("input-layout", "LAYOUT", "class-folders (default), train-archive or flat-val"),
        new CliOption("val-ground-truth", "FILE", "flat-val: the devkit's ILSVRC2012_validation_ground_truth.txt"),
        new CliOption("val-synsets", "FILE", "flat-val: synset list in the devkit's ILSVRC2012_ID order"),
        new CliOption("output", "URI", "folder for part-NNNNN.shard, bad-inputs.tsv and manifest.json"),
        new CliOption("image-size", "S", "side of the square training image (default 256)"),
        new CliOption("patch-size", "P", "patch side; must divide the image size (default 16)"),
        new CliOption("examples-per-shard", "N", "examples per shard, one Spark task each (default 1024)"),
        new CliOption("seed", "S", "seed of the shuffle that assigns images to shards (default 0)"),
        new CliOption("on-bad-input", "MODE", "skip (default): list bad files in bad-inputs.tsv; fail: stop at the first"),
        new CliOption("existing-output", "MODE", "resume (default): keep complete shards of the same run; refuse"),
        new CliOption("progress-interval-seconds", "N", "seconds between driver progress lines (default 10)"));

    /** The option of earlier versions; kept so existing scripts keep working. */
    static final CliOption CONFIG = new CliOption("config", "FILE", "same as --conf-file (earlier name)");

    public static final List<CliOption> OPTIONS = concat(List.of(CliOption.CONF_FILE, CONFIG), SETTINGS, List.of(CliOption.HELP));

    static final String SUMMARY = "Turns ImageNet-style images into ADM-preprocessed uint8 patch shards plus manifest.json.\n"
        + "Each --key option sets pmf.data-prep.<key> (documented in reference.conf); so does -Dpmf.data-prep.<key>=...\n"
        + "Submit with: spark-submit --class " + DataPrepMain.class.getName() + " pmf-data-prep-<version>-cpu.jar [options]";

    private DataPrepMain() {
    }

    public static void main(String[] args) throws Exception {
        DataPrepConfig config;
        try {
            CommandLine cli = CommandLine.parse("data-prep", OPTIONS, args);
            if (cli.has(CliOption.HELP.name())) {
                System.out.print(CommandLine.help("data-prep", SUMMARY, OPTIONS));
                return;
            }
            config = configFrom(cli);
        } catch (ConfigError | CommandLine.CliError | IllegalArgumentException e) {
            System.err.println("data-prep: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkConf conf = new SparkConf().setAppName("pmf data-prep");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        DataPrepJob.Outcome outcome;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            outcome = DataPrepJob.run(sc, config);
        }
        // After Spark's shutdown messages, so the summary is the run's last line.
        System.out.println(outcome.summaryLine());
    }

    /** The validated pmf.data-prep section: reference.conf, the files, -D settings, then the --key options. */
    static DataPrepConfig configFrom(CommandLine cli) {
        List<Path> files = new ArrayList<>(cli.confFiles());
        cli.get(CONFIG.name()).ifPresent(f -> files.add(0, Path.of(f)));
        Map<String, String> overrides = new LinkedHashMap<>(cli.overrides());
        for (CliOption o : SETTINGS) {
            cli.get(o.name()).ifPresent(v -> overrides.put(SECTION + "." + o.name(), v));
        }
        Config resolved = ConfigLoader.loadFiles(files, overrides);
        return DataPrepConfig.fromConfig(ConfigSection.of(resolved, SECTION));
    }

    @SafeVarargs
    private static List<CliOption> concat(List<CliOption>... parts) {
        List<CliOption> all = new ArrayList<>();
        for (List<CliOption> p : parts) {
            all.addAll(p);
        }
        return List.copyOf(all);
    }
}
