package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A stand-in for a Spark 3.5 distribution made from Maven jars (platform-notes.md): SPARK_HOME
 * with jars/ holding exactly what the cluster provides (Spark, Hadoop, hadoop-aws: this module's
 * provided class path) and conf/log4j2.properties. {@link #submit} does what bin/spark-submit
 * does: plain {@code java} with Spark's jars on the class path running
 * {@code org.apache.spark.deploy.SparkSubmit}, which puts the application jar into spark.jars,
 * from where executors fetch it. Nothing of the application is on any class path but its jar.
 */
final class SparkDistribution {

    /** Two executor JVMs launched by a local worker: classes must reach them through spark.jars. */
    static final String MASTER = "local-cluster[2,1,1024]";

    private final Path home;

    private SparkDistribution(Path home) {
        this.home = home;
    }

    /** The finished spark-submit: exit code and combined output. */
    record Submission(int exitCode, String output) {
    }

    static SparkDistribution create(Path home) throws IOException {
        Path classPathFile = Path.of(Repo.property("pmf.spark.runtime.classpath"));
        if (!Files.isRegularFile(classPathFile)) {
            fail(classPathFile + " is missing: Maven writes it in generate-test-resources (deploy/tests/pom.xml)");
        }
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : Files.readString(classPathFile).trim().split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        try (java.io.InputStream log4j = SparkDistribution.class.getResourceAsStream("/spark-log4j2.properties")) {
            Files.copy(java.util.Objects.requireNonNull(log4j, "test resource spark-log4j2.properties"), conf.resolve("log4j2.properties"));
        }
        return new SparkDistribution(home);
    }

    /** Runs {@code spark-submit <args>} (options, application jar, application arguments). */
    Submission submit(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1536m");
        // What bin/spark-class adds for Java 17 (JavaModuleOptions); executors get it from Spark itself.
        cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        cmd.add("-Dlog4j2.configurationFile=" + home.resolve("conf/log4j2.properties").toUri());
        cmd.add("-cp");
        cmd.add(home.resolve("conf") + java.io.File.pathSeparator + home.resolve("jars") + "/*");
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        // Without it every executor launch of the local worker fails (platform-notes.md).
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Path log = home.resolve("submit-" + System.nanoTime() + ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("spark-submit " + args + " did not finish in " + timeoutSeconds + " s; output:\n" + Files.readString(log));
        }
        return new Submission(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The application folders the local worker has made so far (one per spark-submit with executors). */
    Set<Path> applications() throws IOException {
        Path work = home.resolve("work");
        if (!Files.isDirectory(work)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(work)) {
            return new HashSet<>(s.filter(Files::isDirectory).toList());
        }
    }

    /**
     * Executors of one application that ran a task (their stderr says "Running task"): an executor
     * that failed to launch, or could not load the application's classes, is missing here.
     */
    static int executorsThatRanTasks(Path application) throws IOException {
        return org.pmf.testing.SparkTestCluster.executorsThatRanTasks(application);
    }
}
