package org.pmf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final CliOption RESUME = new CliOption("resume", "MODE", "auto, never or a step");
    private static final List<CliOption> OPTIONS = List.of(CliOption.CONF_FILE, RESUME, CliOption.HELP);

    @Test
    void parsesOptionsFlagsAndOverrides() {
        CommandLine c = CommandLine.parse("train", OPTIONS,
            new String[] {"--conf-file", "conf/demo.conf", "--resume=never", "-Dpmf.run.seed=3", "--help"});
        assertEquals(Path.of("conf/demo.conf"), c.confFile().orElseThrow());
        assertEquals("never", c.get("resume").orElseThrow());
        assertTrue(c.has("help"));
        assertEquals(Map.of("pmf.run.seed", "3"), c.overrides());
    }

    @Test
    void unknownOptionIsNamed() {
        var e = assertThrows(CommandLine.CliError.class,
            () -> CommandLine.parse("train", OPTIONS, new String[] {"--resum", "auto"}));
        assertTrue(e.getMessage().contains("--resum"), e.getMessage());
    }

    @Test
    void optionWithoutItsValueSaysWhatIsMissing() {
        var e = assertThrows(CommandLine.CliError.class,
            () -> CommandLine.parse("train", OPTIONS, new String[] {"--conf-file"}));
        assertTrue(e.getMessage().contains("needs a value FILE"), e.getMessage());
    }

    @Test
    void strayArgumentIsRejected() {
        var e = assertThrows(CommandLine.CliError.class,
            () -> CommandLine.parse("train", OPTIONS, new String[] {"pmf.run.seed=3"}));
        assertTrue(e.getMessage().contains("pmf.run.seed=3"), e.getMessage());
    }

    @Test
    void helpListsEveryOption() {
        String help = CommandLine.help("train", "Trains pMF.", OPTIONS);
        for (CliOption o : OPTIONS) {
            assertTrue(help.contains("--" + o.name()), help);
        }
    }

    @Test
    void confFileTakesOverlaysSeparatedByCommasInOrder() {
        CommandLine c = CommandLine.parse("train", OPTIONS,
            new String[] {"--conf-file", "conf/imagenet-256-b16.conf, conf/yarn.conf,conf/gpu.conf"});
        assertEquals(List.of(Path.of("conf/imagenet-256-b16.conf"), Path.of("conf/yarn.conf"), Path.of("conf/gpu.conf")),
            c.confFiles());
        assertEquals(List.of(), CommandLine.parse("train", OPTIONS, new String[0]).confFiles());
    }
}
