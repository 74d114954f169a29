package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;

/**
 * The application main classes a deployment file may name, with the module whose shaded jar holds
 * each. Their options are read from the classes themselves ({@code OPTIONS}), and their arguments
 * are parsed by the same CommandLine the applications use, so a misspelt or removed option in a
 * script, manifest or DAG fails here as it would on the cluster.
 */
enum Application {
    DATA_PREP("org.pmf.dataprep.DataPrepMain", "data-prep", "data-prep"),
    TRAIN("org.pmf.spark.TrainCommand", "spark-job", "train"),
    GENERATE("org.pmf.spark.GenerateCommand", "spark-job", "generate"),
    EVALUATE("org.pmf.spark.EvaluateCommand", "spark-job", "evaluate"),
    INSPECT("org.pmf.spark.inspect.InspectCommand", "spark-job", "inspect");

    final String mainClass;
    final String module;
    final String command;

    Application(String mainClass, String module, String command) {
        this.mainClass = mainClass;
        this.module = module;
        this.command = command;
    }

    static Application of(String mainClass) {
        for (Application a : values()) {
            if (a.mainClass.equals(mainClass)) {
                a.requireMain();
                return a;
            }
        }
        return fail(mainClass + " is not an application main class; known: "
            + Arrays.stream(values()).map(a -> a.mainClass).toList());
    }

    /** The options the class defines: its public static final List<CliOption> OPTIONS. */
    @SuppressWarnings("unchecked")
    List<CliOption> options() {
        try {
            return (List<CliOption>) Class.forName(mainClass).getField("OPTIONS").get(null);
        } catch (ReflectiveOperationException e) {
            return fail(mainClass + " has no public static OPTIONS: " + e);
        }
    }

    /** Parses arguments as the application would; an unknown option fails naming it. */
    CommandLine parse(List<String> args, String where) {
        try {
            return CommandLine.parse(command, options(), args.toArray(String[]::new));
        } catch (CommandLine.CliError e) {
            return fail(where + ": " + e.getMessage());
        }
    }

    /** Whether the application runs the pMF network (every spark-job command), on the driver or the executors. */
    boolean runsTheNetwork() {
        return module.equals("spark-job");
    }

    /**
     * Both JVMs of a network-running application load the vector module, which turns on core's
     * vector kernels (org.pmf.nn.VectorSupport); without it they silently fall back to slower ops.
     */
    static void assertVectorModule(String where, Object driverOptions, Object executorOptions) {
        String module = "--add-modules=jdk.incubator.vector";
        assertTrue(String.valueOf(driverOptions).contains(module), where + ": spark.driver.extraJavaOptions lacks " + module
            + " (" + driverOptions + ")");
        assertTrue(String.valueOf(executorOptions).contains(module), where + ": spark.executor.extraJavaOptions lacks " + module
            + " (" + executorOptions + ")");
    }

    /** The jar this application's class is in: pmf-MODULE-VERSION-FLAVOUR.jar (cpu or cuda). */
    boolean isShadedJarName(String fileName) {
        String version = Repo.property("pmf.project.version");
        return fileName.equals("pmf-" + module + "-" + version + "-cpu.jar") || fileName.equals("pmf-" + module + "-" + version + "-cuda.jar");
    }

    private void requireMain() {
        try {
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), mainClass + ".main is not static");
        } catch (ReflectiveOperationException e) {
            fail(mainClass + " has no main(String[]): " + e);
        }
    }
}
