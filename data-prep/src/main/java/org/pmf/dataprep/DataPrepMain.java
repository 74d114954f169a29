package org.pmf.dataprep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigSection;

/** Command line entry point of the data-prep Spark application. */
public final class DataPrepMain {

    static final String HELP = """
            Usage: spark-submit --class org.pmf.dataprep.DataPrepMain pmf-data-prep.jar [options]
                   (or java -Dspark.master=... -cp ... org.pmf.dataprep.DataPrepMain [options])

            Turns ImageNet-style images into ADM-preprocessed uint8 patch shards plus manifest.json.

              --config FILE        HOCON file with a pmf { data-prep { ... } } section
              --<key> VALUE        set pmf.data-prep.<key>, e.g. --input s3a://b/imagenet/train
                                   --output s3a://b/imagenet256 --image-size 256 --patch-size 16
              --help               this text

            Keys (defaults and meaning in reference.conf, section pmf.data-prep): input, input-layout
            (class-folders | train-archive | flat-val), val-ground-truth, val-synsets, output, image-size, patch-size, examples-per-shard, seed,
            on-bad-input (skip | fail), existing-output (resume | refuse), progress-interval-seconds.
            -Dpmf.data-prep.<key>=... works too. The last line printed summarises the run.
            """;

    private DataPrepMain() {
    }

    public static void main(String[] args) throws Exception {
        DataPrepConfig config;
        try {
            Config overrides = ConfigFactory.empty();
            Config file = ConfigFactory.empty();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    System.out.print(HELP);
                    return;
                }
                if (!a.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("unexpected argument " + a + " (see --help)");
                }
                String value = args[++i];
                if (a.equals("--config")) {
                    file = ConfigFactory.parseFile(new File(value)).resolve();
                } else {
                    overrides = overrides.withValue("pmf.data-prep." + a.substring(2), ConfigValueFactory.fromAnyRef(value));
                }
            }
            Config resolved = ConfigFactory.systemProperties().withFallback(overrides).withFallback(file)
                    .withFallback(ConfigFactory.defaultReference()).resolve();
            config = DataPrepConfig.fromConfig(ConfigSection.of(resolved, "pmf.data-prep"));
        } catch (ConfigError | IllegalArgumentException e) {
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
}
