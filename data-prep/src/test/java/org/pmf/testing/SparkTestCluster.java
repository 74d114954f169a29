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
 * Runs Spark drivers in their own JVMs against {@code local-cluster[2,1,1024]} (two real executor
 * JVMs) or against a real standalone cluster (a master and workers, each its own JVM), all launched
 * from a fake SPARK_HOME whose jars/ holds the test class path (directories such as target/classes
 * are packed into jars), as platform-notes.md describes. Usage:
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
                logger.master.name = org.apache.spark.deploy.master.Master
                logger.master.level = info
                logger.worker.name = org.apache.spark.deploy.worker.Worker
                logger.worker.level = info
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

    private static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    /** Runs {@code mainClass} as a driver JVM with {@code spark.master} = {@link #MASTER}. */
    public Run runDriver(String mainClass, Map<String, String> systemProperties, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        return startDriver(MASTER, mainClass, systemProperties, args).await(timeoutSeconds);
    }

    /** Starts {@code mainClass} as a driver JVM against {@code master} and returns at once. */
    public Driver startDriver(String master, String mainClass, Map<String, String> systemProperties, List<String> args)
            throws IOException {
        List<String> cmd = javaCommand("-Xmx1g");
        cmd.add(VECTOR_MODULE);
        cmd.add("-Dspark.master=" + master);
        cmd.add("-Dspark.home=" + sparkHome);
        cmd.add("-Dspark.ui.enabled=false");
        cmd.add("-Dspark.driver.host=127.0.0.1");
        // The test class path packed into jars/ holds log4j2-test.properties, which log4j prefers
        // over conf/log4j2.properties; executors must log "Running task" for executorsThatRanTasks.
        // The vector module, as the deploy scripts pass it, so that the executors run core's vector kernels.
        cmd.add("-Dspark.executor.extraJavaOptions=" + VECTOR_MODULE + " -Dlog4j2.configurationFile="
            + sparkHome.resolve("conf/log4j2.properties").toUri());
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add(mainClass);
        cmd.addAll(args);
        return new Driver(mainClass, start(cmd, "driver-" + System.nanoTime() + ".log"));
    }

    /** A driver JVM started by {@link #startDriver}; its combined output goes to a log file. */
    public static final class Driver {
        private final String mainClass;
        private final Daemon daemon;

        private Driver(String mainClass, Daemon daemon) {
            this.mainClass = mainClass;
            this.daemon = daemon;
        }

        /** Waits until the output holds a line containing {@code text}; fails if the driver exits first. */
        public void awaitOutput(String text, long timeoutSeconds) throws IOException, InterruptedException {
            daemon.awaitLog(text, timeoutSeconds, mainClass);
        }

        /** Waits for the driver to exit; kills it and fails after the timeout. */
        public Run await(long timeoutSeconds) throws IOException, InterruptedException {
            if (!daemon.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                daemon.process.destroyForcibly().waitFor();
                throw new IOException("driver " + mainClass + " did not finish in " + timeoutSeconds + " s; output:\n"
                    + Files.readString(daemon.log));
            }
            daemon.process.waitFor();
            return new Run(daemon.process.exitValue(), Files.readString(daemon.log, StandardCharsets.UTF_8));
        }
    }

    /**
     * Starts a standalone master and {@code workers} workers, each in its own JVM with
     * {@code coresPerWorker} cores and {@code workerMemory} (e.g. "1536m") for its executor, and
     * waits until every worker has registered. Close it to stop them all.
     */
    public Standalone startStandalone(int workers, int coresPerWorker, String workerMemory)
            throws IOException, InterruptedException {
        int port = freePort();
        String url = "spark://127.0.0.1:" + port;
        List<Daemon> daemons = new ArrayList<>();
        try {
            List<String> master = javaCommand("-Xmx512m");
            master.addAll(List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort())));
            Daemon m = start(master, "master.log");
            daemons.add(m);
            m.awaitLog("New state: ALIVE", 120, "the standalone master");
            for (int w = 0; w < workers; w++) {
                List<String> worker = javaCommand("-Xmx512m");
                worker.addAll(List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    String.valueOf(coresPerWorker), "--memory", workerMemory, "--webui-port", String.valueOf(freePort()),
                    "--work-dir", sparkHome.resolve("work").toString(), url));
                Daemon d = start(worker, "worker-" + w + ".log");
                daemons.add(d);
            }
            for (int w = 1; w <= workers; w++) {
                daemons.get(w).awaitLog("Successfully registered with master", 120, "worker " + (w - 1));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            daemons.forEach(Daemon::stop);
            throw e;
        }
        return new Standalone(url, daemons);
    }

    /** A running standalone cluster. */
    public static final class Standalone implements AutoCloseable {
        private final String masterUrl;
        private final List<Daemon> daemons;

        private Standalone(String masterUrl, List<Daemon> daemons) {
            this.masterUrl = masterUrl;
            this.daemons = daemons;
        }

        public String masterUrl() {
            return masterUrl;
        }

        @Override
        public void close() {
            // workers first, so that they do not try to reconnect to a vanished master
            for (int i = daemons.size() - 1; i >= 0; i--) {
                daemons.get(i).stop();
            }
        }
    }

    /**
     * The executor JVMs running now: processes whose command line runs Spark's executor backend
     * from this cluster's SPARK_HOME (so executors of other tests on the machine are never touched).
     */
    public List<ProcessHandle> runningExecutors() {
        String home = sparkHome.toString();
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend") && c.contains(home)).orElse(false))
            .toList();
    }

    private List<String> javaCommand(String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(heap);
        cmd.addAll(List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions().split("\\s+")));
        cmd.add("-Dlog4j2.configurationFile=" + sparkHome.resolve("conf/log4j2.properties").toUri());
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("conf") + java.io.File.pathSeparator + sparkHome.resolve("jars") + "/*");
        return cmd;
    }

    private Daemon start(List<String> cmd, String logName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(sparkHome.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Path log = sparkHome.resolve(logName);
        pb.redirectOutput(log.toFile());
        return new Daemon(pb.start(), log);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A JVM started by this cluster with its output in a log file. */
    private record Daemon(Process process, Path log) {

        void awaitLog(String text, long timeoutSeconds, String what) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline) {
                String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                if (out.contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new IOException(what + " exited (" + process.exitValue() + ") before printing \"" + text + "\":\n" + out);
                }
                Thread.sleep(250);
            }
            throw new IOException(what + " did not print \"" + text + "\" within " + timeoutSeconds + " s; log " + log);
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
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
