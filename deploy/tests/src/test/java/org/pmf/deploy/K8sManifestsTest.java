package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/k8s/: every manifest parses as YAML; every SparkApplication (spark-operator v1beta2) names
 * an application class and options the code defines, a jar its image's Dockerfile puts where the
 * manifest says, conf files of the ConfigMap made from conf/, a service account of rbac.yaml, and a
 * restart policy that retries (train resumes from its newest checkpoint).
 */
class K8sManifestsTest {

    static final String CONFIG_MAP = "pmf-conf";

    /** Every YAML document of deploy/k8s/, by the file it is in. */
    static List<Map.Entry<Path, Map<String, Object>>> documents() throws Exception {
        List<Map.Entry<Path, Map<String, Object>>> docs = new ArrayList<>();
        for (Path f : Repo.files("deploy/k8s", ".yaml", ".yml")) {
            try (Reader r = Files.newBufferedReader(f)) {
                for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                    if (!(doc instanceof Map<?, ?>)) {
                        fail(f + ": a document that is not a mapping: " + doc);
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) doc;
                    docs.add(Map.entry(f, m));
                }
            } catch (org.yaml.snakeyaml.error.YAMLException e) {
                fail(f + " is not valid YAML: " + e.getMessage());
            }
        }
        return docs;
    }

    static List<Map.Entry<Path, Map<String, Object>>> sparkApplications() throws Exception {
        return documents().stream().filter(d -> "SparkApplication".equals(d.getValue().get("kind"))).toList();
    }

    @Test
    void dataPrepTrainAndEvaluateHaveManifests() throws Exception {
        Set<String> classes = new HashSet<>();
        for (var d : sparkApplications()) {
            classes.add(String.valueOf(map(d.getValue(), "spec").get("mainClass")));
        }
        assertTrue(classes.containsAll(Set.of(Application.DATA_PREP.mainClass, Application.TRAIN.mainClass,
            Application.GENERATE.mainClass, Application.EVALUATE.mainClass)), classes.toString());
    }

    @Test
    void everySparkApplicationRunsAClassWithOptionsConfAndJarThatExist() throws Exception {
        Set<String> accounts = serviceAccounts();
        for (var d : sparkApplications()) {
            String where = Repo.root().relativize(d.getKey()).toString();
            Map<String, Object> app = d.getValue();
            assertEquals("sparkoperator.k8s.io/v1beta2", app.get("apiVersion"), where);
            Map<String, Object> spec = map(app, "spec");
            assertEquals("Java", spec.get("type"), where);
            assertEquals("cluster", spec.get("mode"), where);
            assertTrue(String.valueOf(spec.get("sparkVersion")).startsWith("3.5."), where + ": Spark 3.5, as the jars are built for");
            Application application = Application.of(String.valueOf(spec.get("mainClass")));

            String image = String.valueOf(spec.get("image"));
            String flavour = image.endsWith("-cuda") ? "cuda" : "cpu";
            assertTrue(image.endsWith(Repo.property("pmf.project.version") + "-" + flavour), where + ": image tag " + image);
            Dockerfile docker = Dockerfile.read(Repo.file("deploy/k8s/" + (flavour.equals("cuda") ? "Dockerfile.cuda" : "Dockerfile")));
            assertEquals(Repo.property("pmf.project.version"), docker.args().get("PMF_VERSION"), docker.file() + ": PMF_VERSION");
            String jarInImage = String.valueOf(spec.get("mainApplicationFile")).replaceFirst("^local://", "");
            String source = docker.copies().get(jarInImage);
            assertNotNull(source, where + ": " + docker.file().getFileName() + " copies nothing to " + jarInImage + "; it copies " + docker.copies());
            assertTrue(source.startsWith(application.module + "/target/") && application.isShadedJarName(Path.of(source).getFileName().toString())
                && source.endsWith("-" + flavour + ".jar"), where + ": the image's " + jarInImage + " is " + source);

            Map<String, Object> driver = map(spec, "driver");
            Invocation.Checked checked = invocation(where, app, Map.of());

            assertTrue(accounts.contains(String.valueOf(driver.get("serviceAccount"))), where + ": service account of rbac.yaml");
            Map<String, Object> restart = map(spec, "restartPolicy");
            assertEquals("OnFailure", restart.get("type"), where);
            assertTrue(((Number) restart.get("onFailureRetries")).intValue() >= 1, where + ": retries");

            if (application == Application.TRAIN) {
                assertEquals("auto", checked.cli().get("resume").orElse("auto"), where + ": a restarted train resumes");
                Map<String, Object> executor = map(spec, "executor");
                assertEquals(((Number) executor.get("instances")).intValue(), checked.settings().train().tasks(), where + ": tasks = executors");
                assertEquals(1024, checked.settings().train().tasks() * checked.settings().train().batchSize(), where + ": global batch");
                assertReadableWeightFiles(where, checked.settings());
            }
            if (flavour.equals("cuda")) {
                checkGpus(where, spec, docker);
            }
            if (application.runsTheNetwork()) {
                Map<String, Object> conf = map(spec, "sparkConf");
                Application.assertVectorModule(where, conf.get("spark.driver.extraJavaOptions"), conf.get("spark.executor.extraJavaOptions"));
            }
        }
    }

    @Test
    void theTrainDriverGetsBothPerceptualWeightsLocationsInItsEnvironment() throws Exception {
        ConfFilesTest.requireNoWeightLocationsInThisEnvironment();
        int trains = 0;
        for (var d : sparkApplications()) {
            if (Application.of(String.valueOf(map(d.getValue(), "spec").get("mainClass"))) != Application.TRAIN) {
                continue;
            }
            trains++;
            String where = Repo.root().relativize(d.getKey()).toString();
            Map<String, String> env = driverEnvironment(d.getValue());
            RunSettings s = invocation(where, d.getValue(), Map.of()).settings();
            assertEquals(Map.of(RunSettings.LPIPS_WEIGHTS, String.valueOf(env.get("PMF_LPIPS_WEIGHTS")),
                    RunSettings.CONVNEXT_WEIGHTS, String.valueOf(env.get("PMF_CONVNEXT_WEIGHTS"))),
                s.perceptualWeightFiles(), where + ": the ImageNet preset's terms, their weights from the driver's env " + env);
        }
        assertTrue(trains >= 1, "a train manifest");
    }

    /**
     * The application of a SparkApplication as its driver runs it: the arguments, the conf files of
     * the ConfigMap, the driver's env with {@code environment} over it.
     */
    static Invocation.Checked invocation(String where, Map<String, Object> app, Map<String, String> environment) {
        Map<String, Object> spec = map(app, "spec");
        String mount = configMapMount(map(spec, "driver"), where);
        @SuppressWarnings("unchecked")
        List<Object> arguments = (List<Object>) spec.getOrDefault("arguments", List.of());
        Map<String, String> env = new LinkedHashMap<>(driverEnvironment(app));
        env.putAll(environment);
        return new Invocation(where, Application.of(String.valueOf(spec.get("mainClass"))), arguments.stream().map(String::valueOf).toList())
            .check(entry -> entry.startsWith(mount + "/") ? Repo.root().resolve("conf").resolve(entry.substring(mount.length() + 1)) : null, env);
    }

    /** The driver's env entries with a literal value. */
    static Map<String, String> driverEnvironment(Map<String, Object> app) {
        Map<String, String> env = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) map(map(app, "spec"), "driver").getOrDefault("env", List.of());
        for (Map<String, Object> e : entries) {
            if (e.get("value") != null) {
                env.put(String.valueOf(e.get("name")), String.valueOf(e.get("value")));
            }
        }
        return env;
    }

    /**
     * Every enabled perceptual term names a converted weights file in storage that every pod reads
     * (an executor's local disk holds no such file).
     */
    static void assertReadableWeightFiles(String where, RunSettings s) {
        for (Map.Entry<String, String> f : s.perceptualWeightFiles().entrySet()) {
            String file = f.getValue();
            assertTrue(file.matches("(s3a|hdfs|gs|abfss?)://.+\\.(safetensors|npz)"),
                where + ": " + f.getKey() + " = \"" + file + "\" is not a .safetensors or .npz file in shared storage");
        }
    }

    /** GPU executors: one GPU per executor and task, and a discovery script the image holds. */
    private static void checkGpus(String where, Map<String, Object> spec, Dockerfile docker) {
        Map<String, Object> gpu = map(map(spec, "executor"), "gpu");
        assertEquals("nvidia.com/gpu", gpu.get("name"), where);
        assertEquals(1, ((Number) gpu.get("quantity")).intValue(), where);
        Map<String, Object> conf = map(spec, "sparkConf");
        assertEquals("1", conf.get("spark.executor.resource.gpu.amount"), where);
        assertEquals("1", conf.get("spark.task.resource.gpu.amount"), where);
        String script = String.valueOf(conf.get("spark.executor.resource.gpu.discoveryScript"));
        String source = docker.copies().get(script);
        assertNotNull(source, where + ": the image holds no " + script);
        assertTrue(Files.isRegularFile(Repo.root().resolve(source)), source);
    }

    private static String configMapMount(Map<String, Object> driver, String where) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> maps = (List<Map<String, Object>>) driver.getOrDefault("configMaps", List.of());
        for (Map<String, Object> m : maps) {
            if (CONFIG_MAP.equals(m.get("name"))) {
                return String.valueOf(m.get("path")).replaceAll("/+$", "");
            }
        }
        return fail(where + ": the driver mounts no ConfigMap " + CONFIG_MAP + " (kubectl create configmap " + CONFIG_MAP
            + " --from-file=conf/)");
    }

    private static Set<String> serviceAccounts() throws Exception {
        Set<String> names = new HashSet<>();
        for (var d : documents()) {
            if ("ServiceAccount".equals(d.getValue().get("kind"))) {
                names.add(String.valueOf(map(d.getValue(), "metadata").get("name")));
            }
        }
        assertFalse(names.isEmpty(), "rbac.yaml defines the drivers' service account");
        return names;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (!(v instanceof Map<?, ?>)) {
            return fail("'" + key + "' is missing or not a mapping in " + parent.keySet());
        }
        return (Map<String, Object>) v;
    }
}
