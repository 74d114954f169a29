package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.spark.launcher.SubmitArguments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/yarn/: each submit script is run by bash with a stand-in spark-submit on the PATH that
 * records its arguments, so what is checked is exactly what the script would submit. Spark's own
 * option parser splits them; the application, its options, its conf files and the jar are then
 * checked against the code (Application, Invocation).
 */
class YarnScriptsTest {

    @TempDir
    Path tmp;

    /** The environment a user sets before running a script (see deploy/yarn/common.sh). */
    private static final Map<String, String> USER_ENV = Map.of(
        "PMF_IMAGENET_TRAIN", "s3a://bucket/imagenet/train",
        "PMF_TRAIN_DATA", "s3a://bucket/pmf/imagenet256",
        "PMF_OUTPUT", "s3a://bucket/pmf/runs",
        "PMF_RUN_NAME", "b16-test",
        "PMF_RUN", "s3a://bucket/pmf/runs/b16-test",
        "PMF_INCEPTION_WEIGHTS", "s3a://bucket/pmf/fid_inception.safetensors",
        "PMF_REFERENCE_STATS", "s3a://bucket/pmf/VIRTUAL_imagenet256_labeled.npz",
        "PMF_LPIPS_WEIGHTS", "s3a://bucket/pmf/lpips_vgg16.safetensors",
        "PMF_CONVNEXT_WEIGHTS", "s3a://bucket/pmf/convnextv2_base.safetensors");

    /** The weights and statistics locations each script takes from the environment, and the key each one sets. */
    private static final Map<String, Map<String, String>> WEIGHTS_VARIABLES = Map.of(
        "train.sh", Map.of("PMF_LPIPS_WEIGHTS", RunSettings.LPIPS_WEIGHTS, "PMF_CONVNEXT_WEIGHTS", RunSettings.CONVNEXT_WEIGHTS),
        "evaluate.sh", Map.of("PMF_INCEPTION_WEIGHTS", "pmf.eval.inception.weights-file",
            "PMF_REFERENCE_STATS", "pmf.eval.inception.reference-stats"));

    @Test
    void everySubmitScriptSubmitsAnApplicationWithOptionsItDefines() throws Exception {
        List<Path> scripts = submitScripts();
        assertTrue(scripts.size() >= 5, "data-prep, train, generate, evaluate, inspect: " + scripts);
        for (Path script : scripts) {
            for (String gpu : List.of("0", "1")) {
                SubmitArguments submit = run(script, Map.of("PMF_GPU", gpu));
                checkSubmission(script.getFileName() + " (PMF_GPU=" + gpu + ")", submit);
            }
        }
    }

    @Test
    void trainRunsOneTaskPerExecutorWithTheGlobalBatchAndGpusWhenAsked() throws Exception {
        Path train = Repo.file("deploy/yarn/train.sh");
        for (String gpu : List.of("0", "1")) {
            SubmitArguments s = run(train, Map.of("PMF_GPU", gpu));
            Invocation.Checked c = invocation("train.sh", s).check(e -> shippedConf(s, e));
            assertEquals(Integer.parseInt(s.option("--num-executors")), c.settings().train().tasks(), "tasks = executors");
            assertEquals(1024, c.settings().train().tasks() * c.settings().train().batchSize(), "global batch");
            assertEquals("auto", c.cli().get("resume").orElse("auto"), "a resubmitted train resumes");
            assertTrue(Integer.parseInt(s.conf().getOrDefault("spark.yarn.maxAppAttempts", "1")) > 1, "YARN restarts the driver");
            if (gpu.equals("1")) {
                assertTrue(Path.of(s.appResource()).getFileName().toString().endsWith("-cuda.jar"), s.appResource());
                assertEquals("1", s.conf().get("spark.executor.resource.gpu.amount"));
                assertEquals("1", s.conf().get("spark.task.resource.gpu.amount"));
                String discovery = s.conf().get("spark.executor.resource.gpu.discoveryScript");
                assertTrue(shipped(s).containsKey(Path.of(discovery).getFileName().toString()), discovery + " is shipped with --files");
                assertEquals(16, c.settings().train().tasks());
            } else {
                assertTrue(Path.of(s.appResource()).getFileName().toString().endsWith("-cpu.jar"), s.appResource());
                assertTrue(s.conf().keySet().stream().noneMatch(k -> k.contains("resource.gpu")), s.conf().toString());
            }
        }
    }

    @Test
    void aMissingRequiredSettingStopsTheScriptNamingIt() throws Exception {
        Process p = bash(Repo.file("deploy/yarn/train.sh"), Map.of("PMF_RUN_NAME", ""));
        assertEquals(2, p.exitValue());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(err.contains("set PMF_RUN_NAME"), err);
    }

    @Test
    void trainWithoutEitherPerceptualWeightsLocationStopsBeforeSubmittingSayingHowToMakeThem() throws Exception {
        for (String[] missing : new String[][] {{"PMF_LPIPS_WEIGHTS", "convert_perceptual_weights.py lpips"},
                                                {"PMF_CONVNEXT_WEIGHTS", "convert_perceptual_weights.py convnext"}}) {
            Files.deleteIfExists(tmp.resolve("argv"));
            Process p = bash(Repo.file("deploy/yarn/train.sh"), Map.of(missing[0], ""));
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), missing[0] + ": " + err);
            assertTrue(err.contains("set " + missing[0]) && err.contains(missing[1]), err);
            assertFalse(Files.exists(tmp.resolve("argv")), "nothing was submitted without " + missing[0]);
        }
    }

    @Test
    void weightsLocationsInTheEnvironmentReachTheKeysTheyConfigure() throws Exception {
        for (Map.Entry<String, Map<String, String>> script : WEIGHTS_VARIABLES.entrySet()) {
            for (String gpu : List.of("0", "1")) {
                String where = script.getKey() + " (PMF_GPU=" + gpu + ")";
                SubmitArguments s = run(Repo.file("deploy/yarn/" + script.getKey()), Map.of("PMF_GPU", gpu));
                Invocation.Checked c = invocation(where, s).check(e -> shippedConf(s, e));
                for (Map.Entry<String, String> variable : script.getValue().entrySet()) {
                    assertEquals(USER_ENV.get(variable.getKey()), c.config().getString(variable.getValue()),
                        where + ": " + variable.getKey() + " sets " + variable.getValue());
                }
            }
        }
    }

    @Test
    void trainAppliesBothPerceptualTermsOfThePresetWithTheGivenWeights() throws Exception {
        SubmitArguments s = run(Repo.file("deploy/yarn/train.sh"), Map.of());
        Invocation.Checked c = invocation("train.sh", s).check(e -> shippedConf(s, e));
        assertEquals(Map.of(RunSettings.LPIPS_WEIGHTS, USER_ENV.get("PMF_LPIPS_WEIGHTS"),
                RunSettings.CONVNEXT_WEIGHTS, USER_ENV.get("PMF_CONVNEXT_WEIGHTS")),
            c.settings().perceptualWeightFiles(), "the default preset's enabled terms and their weights");
    }

    private void checkSubmission(String where, SubmitArguments s) {
        assertEquals("yarn", s.option("--master"), where);
        Application app = Application.of(s.option("--class"));
        String jar = Path.of(s.appResource()).getFileName().toString();
        assertTrue(app.isShadedJarName(jar), where + ": " + jar + " is not a shaded jar of " + app.module);
        if (jar.endsWith("-cpu.jar")) {
            assertTrue(Files.isRegularFile(Path.of(s.appResource())), where + ": " + s.appResource() + " is what the build makes");
        }
        for (Path f : shipped(s).values()) {
            assertTrue(Files.isRegularFile(f), where + ": --files " + f + " does not exist");
        }
        // Java 17 on every node, whatever its default, and the module options for both JVMs.
        assertTrue(s.conf().containsKey("spark.yarn.appMasterEnv.JAVA_HOME") && s.conf().containsKey("spark.executorEnv.JAVA_HOME"),
            where + ": " + s.conf());
        assertTrue(s.conf().getOrDefault("spark.driver.extraJavaOptions", "").contains("--add-opens=java.base/java.nio=ALL-UNNAMED"),
            where + ": driver Java options");
        if (app.runsTheNetwork()) {
            Application.assertVectorModule(where, s.conf().get("spark.driver.extraJavaOptions"), s.conf().get("spark.executor.extraJavaOptions"));
        }
        Function<String, Path> conf = "cluster".equals(s.option("--deploy-mode")) ? e -> shippedConf(s, e) : Path::of;
        invocation(where, s).check(conf);
    }

    private static Invocation invocation(String where, SubmitArguments s) {
        return new Invocation(where, Application.of(s.option("--class")), s.appArgs());
    }

    /**
     * In cluster mode the driver runs in a YARN container whose working folder holds the --files:
     * a --conf-file entry is a name shipped there, and must be a file of conf/.
     */
    private Path shippedConf(SubmitArguments s, String entry) {
        Path f = shipped(s).get(entry);
        if (f == null) {
            fail("--conf-file " + entry + " is not shipped with --files " + s.option("--files"));
        }
        assertEquals(Repo.root().resolve("conf"), f.getParent().toAbsolutePath().normalize(), entry + " comes from conf/");
        return f;
    }

    /** --files by the name they get in the container. */
    private static Map<String, Path> shipped(SubmitArguments s) {
        Map<String, Path> files = new LinkedHashMap<>();
        String list = s.option("--files");
        if (list != null) {
            for (String f : list.split(",")) {
                Path p = Path.of(f).toAbsolutePath().normalize();
                files.put(p.getFileName().toString(), p);
            }
        }
        return files;
    }

    private static List<Path> submitScripts() throws Exception {
        List<Path> scripts = new ArrayList<>();
        for (Path p : Repo.files("deploy/yarn", ".sh")) {
            if (Files.readString(p).contains("\"$SPARK_SUBMIT\"")) {
                scripts.add(p);
            }
        }
        return scripts;
    }

    /** Runs the script with a recording spark-submit and returns what it was given. */
    private SubmitArguments run(Path script, Map<String, String> env) throws Exception {
        Process p = bash(script, env);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), script + " failed: " + err);
        String recorded = Files.readString(tmp.resolve("argv"), StandardCharsets.UTF_8);
        List<String> argv = new ArrayList<>(Arrays.asList(recorded.split("\0", -1)));
        argv.remove(argv.size() - 1);
        return SubmitArguments.of(argv);
    }

    private Process bash(Path script, Map<String, String> env) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path stub = bin.resolve("spark-submit");
        Files.writeString(stub, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$PMF_TEST_ARGV\"\n");
        stub.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("PMF_") || k.equals("SPARK_SUBMIT"));
        e.putAll(USER_ENV);
        e.putAll(env);
        e.put("PMF_TEST_ARGV", tmp.resolve("argv").toString());
        e.put("PATH", bin + java.io.File.pathSeparator + e.get("PATH"));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(script + " did not finish in 60 s");
        }
        return p;
    }
}
