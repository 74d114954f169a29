package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pmf.io.Json;

/**
 * deploy/airflow/: every DAG compiles with python3, and its task graph, read from the Python syntax
 * tree (src/test/python/dag_tasks.py, standard library only), is data_prep -> train -> evaluate. A
 * SparkSubmitOperator task runs the application of its role with options, conf files and jar that
 * exist; a SparkKubernetesOperator task submits the deploy/k8s manifest of its role.
 */
class AirflowDagsTest {

    private static final Map<String, Application> ROLES =
        Map.of("data_prep", Application.DATA_PREP, "train", Application.TRAIN, "evaluate", Application.EVALUATE);
    private static final Pattern PARAM = Pattern.compile("\\{\\{\\s*params\\.([A-Za-z_]+)\\s*}}");

    @TempDir
    Path tmp;

    @Test
    void bothVariantsExist() throws Exception {
        Set<String> operators = new java.util.HashSet<>();
        for (Path dag : dags()) {
            for (Object task : tasks(read(dag)).values()) {
                operators.add(String.valueOf(((Map<?, ?>) task).get("operator")));
            }
        }
        assertTrue(operators.containsAll(Set.of("SparkSubmitOperator", "SparkKubernetesOperator")), operators.toString());
    }

    @Test
    void everyDagCompilesAndRunsDataPrepThenTrainThenEvaluate() throws Exception {
        for (Path dag : dags()) {
            Python.run("-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                dag.toString(), tmp.resolve(dag.getFileName() + "c").toString());
            Map<?, ?> graph = read(dag);
            assertEquals(Set.of("data_prep", "train", "evaluate"), tasks(graph).keySet(), dag.toString());
            assertEquals(List.of(List.of("data_prep", "train"), List.of("train", "evaluate")), graph.get("edges"), dag + ": task graph");
        }
    }

    @Test
    void everyTaskRunsTheApplicationOfItsRoleAndIsRetried() throws Exception {
        for (Path dag : dags()) {
            Map<?, ?> graph = read(dag);
            Map<?, ?> params = (Map<?, ?>) graph.get("params");
            for (Map.Entry<?, ?> e : tasks(graph).entrySet()) {
                String where = dag.getFileName() + " task " + e.getKey();
                Map<?, ?> task = (Map<?, ?>) e.getValue();
                Application role = ROLES.get(String.valueOf(e.getKey()));
                Object retries = task.get("default_args_retries");
                assertTrue(retries instanceof Long r && r >= 1, where + ": retries " + retries);
                switch (String.valueOf(task.get("operator"))) {
                    case "SparkSubmitOperator" -> checkSparkSubmit(where, task, params, role);
                    case "SparkKubernetesOperator" -> checkSparkKubernetes(where, task, role);
                    default -> fail(where + ": unexpected operator " + task.get("operator"));
                }
            }
        }
    }

    @Test
    void everyParamIsDescribed() throws Exception {
        for (Path dag : dags()) {
            Map<?, ?> graph = read(dag);
            Map<?, ?> descriptions = (Map<?, ?>) graph.get("param_descriptions");
            assertEquals(((Map<?, ?>) graph.get("params")).keySet(), descriptions.keySet(), dag + ": every param is a Param(...)");
            descriptions.forEach((name, d) -> assertFalse(String.valueOf(d).isBlank(), dag + ": param " + name + " has no description"));
        }
    }

    @Test
    void trainTakesEachPerceptualWeightsLocationFromADescribedParam() throws Exception {
        ConfFilesTest.requireNoWeightLocationsInThisEnvironment();
        for (Path dag : dags()) {
            Map<?, ?> graph = read(dag);
            Map<?, ?> params = (Map<?, ?>) graph.get("params");
            Map<?, ?> train = (Map<?, ?>) tasks(graph).get("train");
            String where = dag.getFileName() + " task train";
            // a param that is a whole value (-Dkey={{ params.NAME }}, or an env value) rendered as a
            // marker naming it: a weights file carrying one came from that param
            Set<String> whole = wholeValueParams(train);
            Map<String, String> marked = trainSettings(where, train,
                name -> whole.contains(name) ? MARKER + name : params.containsKey(name) ? String.valueOf(params.get(name)) : null)
                .perceptualWeightFiles();
            assertEquals(Set.of(RunSettings.LPIPS_WEIGHTS, RunSettings.CONVNEXT_WEIGHTS), marked.keySet(), where + ": the preset's terms");
            Set<String> used = new java.util.HashSet<>();
            for (Map.Entry<String, String> f : marked.entrySet()) {
                assertTrue(f.getValue().startsWith(MARKER), where + ": " + f.getKey() + " = \"" + f.getValue() + "\" does not come from a DAG param");
                String name = f.getValue().substring(MARKER.length());
                assertTrue(used.add(name), where + ": both terms read param " + name);
                Object description = ((Map<?, ?>) graph.get("param_descriptions")).get(name);
                assertTrue(description != null && !String.valueOf(description).isBlank(), where + ": param " + name + " is not described");
            }
            K8sManifestsTest.assertReadableWeightFiles(where + " with the params' defaults",
                trainSettings(where, train, name -> params.containsKey(name) ? String.valueOf(params.get(name)) : null));
        }
    }

    private static final String MARKER = "dag-param-";
    private static final Pattern WHOLE_VALUE_PARAM = Pattern.compile("(?:^|=)\\{\\{\\s*params\\.([A-Za-z_]+)\\s*}}$");

    /** The params a task uses as a whole value: an application argument's -Dkey={{ params.NAME }}, a driver_env value. */
    private static Set<String> wholeValueParams(Map<?, ?> task) {
        List<Object> values = new ArrayList<>();
        if (task.get("application_args") instanceof List<?> args) {
            values.addAll(args);
        }
        if (task.get("driver_env") instanceof Map<?, ?> env) {
            values.addAll(env.values());
        }
        Set<String> names = new java.util.HashSet<>();
        for (Object v : values) {
            Matcher m = WHOLE_VALUE_PARAM.matcher(String.valueOf(v));
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The settings the train task's driver runs with, its {{ params.NAME }} rendered by {@code param}. */
    private static RunSettings trainSettings(String where, Map<?, ?> task, Function<String, String> param) throws Exception {
        if ("SparkKubernetesOperator".equals(task.get("operator"))) {
            Path file = Repo.file("deploy/k8s/" + task.get("manifest"));
            Map<String, String> env = new java.util.LinkedHashMap<>();
            if (task.get("driver_env") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> env.put(String.valueOf(k), render(String.valueOf(v), param, where)));
            }
            for (var d : K8sManifestsTest.sparkApplications()) {
                if (d.getKey().equals(file)) {
                    return K8sManifestsTest.invocation(where, d.getValue(), env).settings();
                }
            }
            return fail(where + ": " + file + " holds no SparkApplication");
        }
        List<String> args = new ArrayList<>();
        for (Object a : (List<?>) task.get("application_args")) {
            args.add(render(String.valueOf(a), param, where));
        }
        return new Invocation(where, Application.TRAIN, args).check(entry -> Repo.root().resolve("conf").resolve(Path.of(entry).getFileName())).settings();
    }

    private static void checkSparkSubmit(String where, Map<?, ?> task, Map<?, ?> params, Application role) {
        assertEquals(role.mainClass, task.get("java_class"), where);
        String jar = Path.of(String.valueOf(task.get("application"))).getFileName().toString();
        assertTrue(role.isShadedJarName(jar), where + ": " + jar);
        List<String> args = new ArrayList<>();
        for (Object a : (List<?>) task.get("application_args")) {
            args.add(render(String.valueOf(a), params, where));
        }
        boolean cluster = !"client".equals(task.get("deploy_mode"));
        List<String> shipped = new ArrayList<>();
        if (task.get("files") != null) {
            for (String f : render(String.valueOf(task.get("files")), params, where).split(",")) {
                String name = Path.of(f).getFileName().toString();
                assertTrue(Files.isRegularFile(Repo.root().resolve("conf").resolve(name))
                    || Files.isRegularFile(Repo.root().resolve("deploy/yarn").resolve(name)), where + ": --files " + f + " is not in conf/ or deploy/yarn/");
                shipped.add(name);
            }
        }
        Invocation.Checked c = new Invocation(where, role, args).check(entry -> {
            String name = Path.of(entry).getFileName().toString();
            if (cluster && !shipped.contains(name)) {
                fail(where + ": --conf-file " + entry + " is not shipped with files=" + shipped);
            }
            return Repo.root().resolve("conf").resolve(name);
        });
        if (role == Application.TRAIN) {
            assertEquals("auto", c.cli().get("resume").orElse("auto"), where + ": a retried train resumes");
        }
        if (role.runsTheNetwork()) {
            Map<?, ?> conf = task.get("conf") instanceof Map<?, ?> m ? m : Map.of();
            Application.assertVectorModule(where, conf.get("spark.driver.extraJavaOptions"), conf.get("spark.executor.extraJavaOptions"));
        }
    }

    private static void checkSparkKubernetes(String where, Map<?, ?> task, Application role) throws Exception {
        Object manifest = task.get("manifest");
        assertNotNull(manifest, where + ": no manifest file named in template_spec or application_file");
        Path file = Repo.file("deploy/k8s/" + manifest);
        boolean found = false;
        for (var d : K8sManifestsTest.sparkApplications()) {
            if (d.getKey().equals(file)) {
                assertEquals(role.mainClass, K8sManifestsTest.map(d.getValue(), "spec").get("mainClass"), where + ": " + manifest);
                found = true;
            }
        }
        assertTrue(found, where + ": " + manifest + " holds no SparkApplication");
    }

    /** Jinja's {{ params.NAME }} replaced by the DAG's default for NAME, as a run without overrides renders it. */
    private static String render(String s, Map<?, ?> params, String where) {
        return render(s, name -> params.containsKey(name) ? String.valueOf(params.get(name)) : null, where);
    }

    /** Jinja's {{ params.NAME }} replaced by {@code param}'s value for NAME. */
    private static String render(String s, Function<String, String> param, String where) {
        Matcher m = PARAM.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Object v = param.apply(m.group(1));
            if (v == null) {
                fail(where + ": {{ params." + m.group(1) + " }} has no default in the DAG's params");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf(v)));
        }
        return m.appendTail(b).toString();
    }

    private static List<Path> dags() throws Exception {
        List<Path> dags = Repo.files("deploy/airflow", ".py");
        assertTrue(dags.size() >= 2, "a YARN and a Kubernetes DAG: " + dags);
        return dags;
    }

    private static Map<?, ?> read(Path dag) throws Exception {
        return (Map<?, ?>) Json.parse(Python.run(Python.script("dag_tasks.py").toString(), dag.toString()));
    }

    private static Map<?, ?> tasks(Map<?, ?> graph) {
        return (Map<?, ?>) graph.get("tasks");
    }
}
