package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pmf.testing.ImageNetStyleTree;

/**
 * The application jars as a cluster runs them: spark-submit (SparkSubmit on Spark's own jars, no
 * application class on any class path) against a local cluster with two executor JVMs that get the
 * application only through spark.jars. End to end: data-prep over an ImageNet-style tree, three
 * training rounds with conf/demo.conf, an ImageNet preset refused for want of its perceptual
 * weights, generate from the newest checkpoint's EMA, inspect.
 */
class ShadedJarsEndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void dataPrepTrainGenerateAndInspectRunFromTheShadedJarsUnderSparkSubmit() throws Exception {
        assertEquals("cpu", Repo.property("pmf.app.classifier"),
            "this test runs the CPU jars; the -cuda jars (-Pcuda) need a GPU, build them with -DskipTests");
        Path dataPrepJar = Repo.applicationJar("data-prep");
        Path sparkJobJar = Repo.applicationJar("spark-job");
        ImageNetStyleTree tree = ImageNetStyleTree.create(tmp.resolve("train"));
        SparkDistribution spark = SparkDistribution.create(tmp.resolve("spark-home"));
        Path shards = tmp.resolve("shards");
        Path runs = tmp.resolve("runs");

        Set<Path> before = spark.applications();
        SparkDistribution.Submission prep = spark.submit(sparkSubmit("org.pmf.dataprep.DataPrepMain", dataPrepJar,
            "--input", tree.root().toUri().toString(), "--output", shards.toUri().toString(),
            "--image-size", "32", "--patch-size", "4", "--examples-per-shard", "4"), 300);
        assertEquals(0, prep.exitCode(), prep.output());
        assertTrue(prep.output().contains("data-prep done: " + tree.goodImages() + " images in 6 shards"), prep.output());
        assertEquals(2, SparkDistribution.executorsThatRanTasks(onlyNew(spark, before)), "both executors ran data-prep tasks");

        // conf/demo.conf as shipped, adapted to the tree's 3 classes and to a few short rounds.
        List<String> runSettings = List.of("--conf-file", Repo.file("conf/demo.conf").toString(),
            "-Dpmf.run.output=" + runs, "-Dpmf.run.name=e2e", "-Dpmf.train.data=" + shards.toUri(),
            "-Dpmf.model.num-classes=3", "-Dpmf.train.batch-size=4", "-Dpmf.train.local-steps=2", "-Dpmf.train.steps=6",
            "-Dpmf.checkpoint.every-steps=4");
        before = spark.applications();
        SparkDistribution.Submission train = spark.submit(sparkSubmit("org.pmf.spark.TrainCommand", sparkJobJar,
            runSettings.toArray(String[]::new)), 400);
        assertEquals(0, train.exitCode(), train.output());
        assertTrue(train.output().contains("train: done; newest checkpoint") && train.output().contains("step-00000006"),
            train.output());
        assertEquals(2, SparkDistribution.executorsThatRanTasks(onlyNew(spark, before)), "both executors trained");

        // An ImageNet preset as shipped trains with the perceptual loss: without its weights' locations
        // the driver stops at start-up naming the first missing one, before any round or checkpoint.
        ConfFilesTest.requireNoWeightLocationsInThisEnvironment();
        SparkDistribution.Submission imagenet = spark.submit(sparkSubmit("org.pmf.spark.TrainCommand", sparkJobJar,
            "--conf-file", Repo.file("conf/imagenet-256-b16.conf").toString(), "-Dpmf.run.output=" + runs,
            "-Dpmf.run.name=imagenet-without-weights", "-Dpmf.train.data=" + shards.toUri()), 300);
        assertNotEquals(0, imagenet.exitCode(), imagenet.output());
        assertTrue(imagenet.output().contains("pmf.perceptual.lpips.weights-file: is empty but the LPIPS-VGG16 term is enabled"),
            imagenet.output());
        assertFalse(Files.exists(runs.resolve("imagenet-without-weights")), "nothing was written for the refused run");

        Path grid = tmp.resolve("grid.png");
        List<String> generate = new ArrayList<>(runSettings);
        generate.addAll(List.of("--ema", "500", "--omega", "2", "--classes", "0,2", "--per-class", "2", "--out", grid.toString()));
        SparkDistribution.Submission gen = spark.submit(sparkSubmit("org.pmf.spark.GenerateCommand", sparkJobJar,
            generate.toArray(String[]::new)), 300);
        assertEquals(0, gen.exitCode(), gen.output());
        BufferedImage img = ImageIO.read(grid.toFile());
        // two classes of two samples each, pixels doubled: two rows, two columns
        assertTrue(img.getWidth() >= 2 * 32 * 2 && img.getHeight() >= 2 * 32 * 2 && img.getHeight() < 3 * 32 * 2,
            img.getWidth() + "x" + img.getHeight());

        SparkDistribution.Submission inspect = spark.submit(sparkSubmit("org.pmf.spark.inspect.InspectCommand", sparkJobJar,
            "--run", runs.resolve("e2e").toUri().toString()), 300);
        assertEquals(0, inspect.exitCode(), inspect.output());
        assertTrue(inspect.output().contains("checkpoint step 6: 48 images seen"), inspect.output());
        assertTrue(Files.exists(runs.resolve("e2e/provenance-from-step-00000000.json")));
    }

    /** spark-submit's arguments for one application run on the local cluster. */
    private static List<String> sparkSubmit(String mainClass, Path jar, String... appArgs) {
        List<String> args = new ArrayList<>(List.of("--master", SparkDistribution.MASTER, "--class", mainClass,
            "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
            "--conf", "spark.executor.memory=1g", jar.toString()));
        args.addAll(List.of(appArgs));
        return args;
    }

    private static Path onlyNew(SparkDistribution spark, Set<Path> before) throws Exception {
        List<Path> made = spark.applications().stream().filter(p -> !before.contains(p)).toList();
        assertEquals(1, made.size(), "one new application folder, found " + made);
        return made.get(0);
    }
}
