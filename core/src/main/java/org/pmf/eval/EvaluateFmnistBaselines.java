package org.pmf.eval;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

/**
 * Command: the offline metrics of two reference sets, to read a generator's numbers against. The
 * floor: N real Fashion-MNIST training images (never seen by the test-set statistics) with their true
 * labels. The ceiling: N Gaussian noise images N(0, 1) clipped to [-1, 1], labels cycling 0..9.
 */
public final class EvaluateFmnistBaselines {

    private static final String COMMAND = "EvaluateFmnistBaselines";
    private static final CliOption COUNT = new CliOption("count", "N", "images per set (default 10000)");
    private static final CliOption SEED = new CliOption("seed", "S", "seed of the image choice and the noise (default 0)");
    private static final List<CliOption> OPTIONS = List.of(COUNT, SEED, CliOption.CONF_FILE, CliOption.HELP);

    private EvaluateFmnistBaselines() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cli = CommandLine.parse(COMMAND, OPTIONS, args);
        if (cli.has(CliOption.HELP.name())) {
            System.out.print(CommandLine.help(COMMAND, "Prints class accuracy, FD-FMNIST, precision and recall of "
                + "real training images (floor) and of Gaussian noise (ceiling) against the test set.", OPTIONS));
            return;
        }
        int count = Integer.parseInt(cli.get(COUNT.name()).orElse("10000"));
        long seed = Long.parseLong(cli.get(SEED.name()).orElse("0"));
        FmnistEvalConfig config = FmnistEvalConfig.fromConfig(
            ConfigSection.of(ConfigLoader.load(cli.confFile().orElse(null), cli.overrides()), "pmf.eval"));
        FashionMnist.Images train = FashionMnist.read(config.dataDir(), FashionMnist.Split.TRAIN);
        if (count < config.neighbours() + 1 || count > train.count()) {
            throw new CommandLine.CliError(COMMAND + ": --count must be in " + (config.neighbours() + 1) + ".." + train.count() + ", got " + count);
        }
        long start = System.nanoTime();
        SampleEvaluator evaluator = SampleEvaluator.open(config, System.out::println);
        System.out.printf("reference: the %s test set; classifier %s; k = %d; %d images per set%n",
            config.dataDir(), config.classifierFile(), config.neighbours(), count);

        int[] chosen = randomSubset(train.count(), count, new Random(seed));
        SampleEvaluator.Metrics real = evaluator.evaluate(train.networkInput(chosen), labelsOf(train, chosen));
        System.out.println("real training images (floor):  " + real);

        Nd4j.getRandom().setSeed(seed);
        INDArray noise = Transforms.max(Transforms.min(Nd4j.randn(DataType.FLOAT, count, 3, FashionMnist.SIDE, FashionMnist.SIDE), 1.0), -1.0);
        int[] cycling = new int[count];
        for (int i = 0; i < count; i++) {
            cycling[i] = i % FashionMnist.CLASSES;
        }
        SampleEvaluator.Metrics ceiling = evaluator.evaluate(noise, cycling);
        System.out.println("Gaussian noise (ceiling):      " + ceiling);
        System.out.printf("total %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static int[] randomSubset(int n, int k, Random random) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, k);
    }

    private static int[] labelsOf(FashionMnist.Images images, int[] indices) {
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            y[i] = images.labels()[indices[i]];
        }
        return y;
    }
}
