package org.pmf.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pmf.cli.CliOption;
import org.pmf.cli.CommandLine;

class DataPrepMainTest {

    @Test
    void helpListsEveryOptionWithConfFileAndOverrides() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            DataPrepMain.main(new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        for (CliOption o : DataPrepMain.OPTIONS) {
            assertTrue(help.contains("--" + o.name()), "--" + o.name() + " missing from:\n" + help);
        }
        assertTrue(help.contains("--conf-file") && help.contains("-Dpmf.key=value"), help);
    }

    @Test
    void everyKeyOfTheDataPrepSectionHasAnOptionOfTheSameName() {
        Set<String> keys = ConfigFactory.defaultReference().getConfig(DataPrepMain.SECTION).root().keySet();
        Set<String> options = DataPrepMain.SETTINGS.stream().map(CliOption::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(keys), options);
    }

    @Test
    void optionsWinOverOverridesWhichWinOverTheConfFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prep.conf");
        Files.writeString(f, "pmf.data-prep { input = from-file, output = out-file, image-size = 64, patch-size = 8, seed = 5 }");
        DataPrepConfig c = DataPrepMain.configFrom(CommandLine.parse("data-prep", DataPrepMain.OPTIONS, new String[] {
            "--conf-file", f.toString(), "-Dpmf.data-prep.seed=6", "-Dpmf.data-prep.image-size=128",
            "--image-size", "32", "--patch-size", "4", "--examples-per-shard", "100"}));
        assertEquals("from-file", c.input());
        assertEquals(6L, c.seed());
        assertEquals(32, c.imageSize());
        assertEquals(4, c.patchSize());
        assertEquals(100, c.examplesPerShard());
    }

    @Test
    void theEarlierConfigOptionStillReadsAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prep.conf");
        Files.writeString(f, "pmf.data-prep { input = a, output = b, on-bad-input = fail }");
        DataPrepConfig c = DataPrepMain.configFrom(CommandLine.parse("data-prep", DataPrepMain.OPTIONS,
            new String[] {"--config", f.toString()}));
        assertEquals(DataPrepConfig.OnBadInput.FAIL, c.onBadInput());
    }
}
