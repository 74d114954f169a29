package org.pmf.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server (S3Proxy 4.1.0, filesystem backend) in its own JVM on a free loopback port,
 * for integration tests that write through s3a://. Its class path comes from
 * {@code data-prep/target/s3proxy.classpath} (or the system property {@code pmf.s3proxy.classpath}),
 * made by:
 * <pre>
 *   mvn -q -B -f data-prep/src/test/s3proxy/pom.xml dependency:build-classpath -Dmdep.outputFile=../../../target/s3proxy.classpath
 * </pre>
 * Usage: {@code try (S3ProxyServer s3 = S3ProxyServer.start(dir)) { s3.createBucket("b"); s3.hadoopProperties() ... }}.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String IDENTITY = "pmf-test-identity";
    public static final String CREDENTIAL = "pmf-test-credential";

    private final Process process;
    private final Path baseDir;
    private final String endpoint;
    private final Path log;

    private S3ProxyServer(Process process, Path baseDir, String endpoint, Path log) {
        this.process = process;
        this.baseDir = baseDir;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** The S3Proxy class path, or an error saying how to make it. */
    public static String classPath() throws IOException {
        String fromProperty = System.getProperty("pmf.s3proxy.classpath");
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        // made in data-prep's target/; tests of other modules run with their own module as working directory
        Path here = Path.of(System.getProperty("user.dir"));
        Path file = here.resolve("target/s3proxy.classpath");
        if (!Files.exists(file)) {
            file = here.resolveSibling("data-prep").resolve("target/s3proxy.classpath");
        }
        if (!Files.exists(file)) {
            throw new IOException("no S3Proxy class path at " + file + "; make it with: mvn -q -B -f data-prep/src/test/s3proxy/pom.xml "
                    + "dependency:build-classpath -Dmdep.outputFile=../../../target/s3proxy.classpath");
        }
        return Files.readString(file).trim();
    }

    /** Starts S3Proxy storing objects under {@code workDir}/data and waits until it answers HTTP. */
    public static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
        Path data = Files.createDirectories(workDir.resolve("data"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        Path conf = workDir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data) + "\n");
        Path logback = workDir.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Path log = workDir.resolve("s3proxy.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-Dlogback.configurationFile=" + logback, "-cp", classPath(),
                "org.gaul.s3proxy.Main", "--properties", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3ProxyServer server = new S3ProxyServer(p, data, endpoint, log);
        server.awaitHttp();
        return server;
    }

    private void awaitHttp() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue() + ": " + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode();
                c.disconnect();
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException("S3Proxy did not answer at " + endpoint + " within 60 s; log: " + log);
    }

    public String endpoint() {
        return endpoint;
    }

    /** With the filesystem backend a bucket is a folder under the base directory. */
    public void createBucket(String bucket) throws IOException {
        Files.createDirectories(baseDir.resolve(bucket));
    }

    /** Hadoop settings for s3a:// against this server (prefix each with "spark.hadoop." for Spark). */
    public Map<String, String> hadoopProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fs.s3a.endpoint", endpoint);
        m.put("fs.s3a.path.style.access", "true");
        m.put("fs.s3a.connection.ssl.enabled", "false");
        m.put("fs.s3a.access.key", IDENTITY);
        m.put("fs.s3a.secret.key", CREDENTIAL);
        m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        m.put("fs.s3a.fast.upload.buffer", "bytebuffer");
        m.put("fs.s3a.attempts.maximum", "3");
        m.put("fs.s3a.retry.limit", "3");
        return m;
    }

    public List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
