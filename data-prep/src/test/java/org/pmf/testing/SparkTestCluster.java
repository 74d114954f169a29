package org.pmf.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Runs a Spark driver in its own JVM against {@code local-cluster[2,1,1024]}: two real executor
 * JVMs, launched from a fake SPARK_HOME whose jars/ holds the test class path (directories such as
 * target/classes are packed into jars), as platform-notes.md describes. Usage:
 * <pre>
 *   SparkTestCluster cluster = SparkTestCluster.create(workDir);
 *   SparkTestCluster.Run run = cluster.runDriver("org.pmf.dataprep.DataPrepMain", sysProps, args);
 *   assertEquals(0, run.exitCode()); assertEquals(2, cluster.executorsThatRanTasks());
 * </pre>
 */
public final class SparkTestCluster {

    public static final String MASTER = "local-cluster[2,1,1024]";

    private final Path sparkHome;

    private SparkTestCluster(Path sparkHome) {
        this.sparkHome = sparkHome;
    }

    /** The finished driver: exit code and its combined output. */
    public record Run(int exitCode, String output) {
    }

    public static SparkTestCluster create(Path workDir) throws IOException {
        Path home = Files.createDirectories(workDir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("log4j2.properties"), """
                rootLogger.level = warn
                rootLogger.appenderRef.stdout.ref = console
                appender.console.type = Console
                appender.console.name = console
                appender.console.target = SYSTEM_ERR
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
                logger.pmf.name = org.pmf
                logger.pmf.level = info
                logger.executor.name = org.apache.spark.executor.Executor
                logger.executor.level = info
                """);
        int i = 0;
        for (String entry : testClassPath()) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                packDirectory(p, jars.resolve(String.format("dir-%02d-%s.jar", i++, p.getParent().getParent().getFileName() + "-" + p.getFileName())));
            } else if (entry.endsWith(".jar") && Files.exists(p)) {
                Path link = jars.resolve(String.format("%03d-%s", i++, p.getFileName()));
                Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
        return new SparkTestCluster(home);
    }

    /** The class path of this test JVM; surefire puts it in surefire.test.class.path. */
    private static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(java.io.File.pathSeparator));
    }

    private static void packDirectory(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    public Path sparkHome() {
        return sparkHome;
    }

    /** Runs {@code mainClass} as a driver JVM with {@code spark.master} = {@link #MASTER}. */
    public Run runDriver(String mainClass, Map<String, String> systemProperties, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        cmd.add("-Dspark.master=" + MASTER);
        cmd.add("-Dspark.home=" + sparkHome);
        cmd.add("-Dspark.ui.enabled=false");
        cmd.add("-Dspark.driver.host=127.0.0.1");
        cmd.add("-Dlog4j2.configurationFile=" + sparkHome.resolve("conf/log4j2.properties").toUri());
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("conf") + java.io.File.pathSeparator + sparkHome.resolve("jars") + "/*");
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(sparkHome.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        Path log = sparkHome.resolve("driver-" + System.nanoTime() + ".log");
        Thread pump = new Thread(() -> {
            try {
                Files.copy(p.getInputStream(), log);
            } catch (IOException ignored) {
                // the process ended; whatever was read is in the log
            }
        });
        pump.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            pump.join();
            throw new IOException("driver " + mainClass + " did not finish in " + timeoutSeconds + " s; output:\n" + Files.readString(log));
        }
        pump.join();
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /**
     * How many executor JVMs ran at least one task (their stderr in the workers' work directory says
     * "Running task"). An executor that failed to launch would be missing here.
     */
    public int executorsThatRanTasks() throws IOException {
        Path work = sparkHome.resolve("work");
        return Files.isDirectory(work) ? executorsThatRanTasks(work) : 0;
    }

    /** The same count below any folder of a worker's work directory, e.g. one application's. */
    public static int executorsThatRanTasks(Path workFolder) throws IOException {
        int n = 0;
        try (Stream<Path> files = Files.walk(workFolder)) {
            for (Path stderr : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                if (Files.readString(stderr).contains("Running task")) {
                    n++;
                }
            }
        }
        return n;
    }
}
