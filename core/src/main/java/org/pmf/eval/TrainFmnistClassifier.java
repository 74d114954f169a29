package org.pmf.eval;

import java.util.List;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/**
 * Command: trains the Fashion-MNIST classifier of the offline evaluation and writes its weights to
 * {@code pmf.eval.classifier-file} (replacing a cached one). Exits with status 2 if the test accuracy
 * is below the required 90%.
 */
public final class TrainFmnistClassifier {

    static final double REQUIRED_ACCURACY = 0.90;
    private static final String COMMAND = "TrainFmnistClassifier";
    private static final CliOption FROM = new CliOption("from", "FILE",
        "start from these classifier weights instead of random ones (fresh Adam state), e.g. to train more epochs");
    private static final List<CliOption> OPTIONS = List.of(FROM, CliOption.CONF_FILE, CliOption.HELP);

    private TrainFmnistClassifier() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse(COMMAND, OPTIONS, args);
        if (cli.has(CliOption.HELP.name())) {
            System.out.print(CommandLine.help(COMMAND, "Trains the Fashion-MNIST classifier used by FD-FMNIST, "
                + "precision/recall and class accuracy, and caches its weights.", OPTIONS));
            return;
        }
        FmnistEvalConfig config = FmnistEvalConfig.fromConfig(
            ConfigSection.of(ConfigLoader.load(cli.confFile().orElse(null), cli.overrides()), "pmf.eval"));
        System.out.println("Training the Fashion-MNIST classifier: " + config.training() + " -> " + config.classifierFile());
        FmnistClassifier start = cli.get(FROM.name()).isPresent()
            ? FmnistClassifier.load(java.nio.file.Path.of(cli.get(FROM.name()).get()))
            : FmnistClassifier.initialised(config.training().seed());
        CachedClassifier.Trained t = CachedClassifier.trainAndSave(start, config, System.out::println);
        System.out.printf("test accuracy %.4f (required >= %.2f), %.0f s%n", t.testAccuracy(), REQUIRED_ACCURACY, t.seconds());
        if (t.testAccuracy() < REQUIRED_ACCURACY) {
            System.err.println("The classifier is below the required accuracy: train longer (-Dpmf.eval.classifier.epochs=N).");
            System.exit(2);
        }
    }
}
