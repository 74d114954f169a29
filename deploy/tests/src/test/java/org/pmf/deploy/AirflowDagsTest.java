package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        Matcher m = PARAM.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Object v = params.get(m.group(1));
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
