package org.pmf.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pmf.cli.CliOption;

/** Every spark-job command answers --help with every option of its OPTIONS, the conf file and -D overrides. */
class CommandHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.pmf.spark.TrainCommand", "org.pmf.spark.GenerateCommand", "org.pmf.spark.inspect.InspectCommand"})
    void helpListsEveryOptionTheConfFileAndOverrides(String mainClass) throws Exception {
        Class<?> c = Class.forName(mainClass);
        @SuppressWarnings("unchecked")
        List<CliOption> options = (List<CliOption>) c.getField("OPTIONS").get(null);
        Method main = c.getMethod("main", String[].class);
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        for (CliOption o : options) {
            assertTrue(help.contains("--" + o.name()), "--" + o.name() + " missing from " + mainClass + " --help:\n" + help);
        }
        assertTrue(help.contains("--conf-file") && help.contains("-Dpmf.key=value"), help);
    }
}
