package io.edgedeck.console;

import io.edgedeck.themes.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleOptionsTest {

    @Test
    void defaultsRehearseTheSteadyShowInTheDark() throws Exception {
        assertEquals(ConsoleOptions.defaults(), ConsoleOptions.parse(List.of()));
        assertEquals(null, ConsoleOptions.defaults().scenario(), "the show rehearsed last, from the settings");
        assertEquals(null, ConsoleOptions.defaults().theme(), "the theme in the settings");
    }

    @Test
    void readsEveryOption() throws Exception {
        ConsoleOptions o = ConsoleOptions.parse(List.of("--rehearsal", "pop-outage", "--seed", "42", "--speed", "max",
                "--theme", "light", "--screenshot", "shot.png", "--exit-after", "10"));
        assertEquals(new ConsoleOptions("pop-outage", 42L, 0, Theme.LIGHT, Path.of("shot.png"), 10), o);
        assertEquals(10.0, ConsoleOptions.parse(List.of("--speed", "10x")).speed());
        assertEquals("guardrails", ConsoleOptions.parse(List.of("--tab", "Guardrails")).tab());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--seed abc | --seed",
            "--speed fast | --speed",
            "--speed -2 | --speed",
            "--theme neon | --theme",
            "--exit-after 0 | --exit-after",
            "--screenshot a.png | --exit-after",
            "--rehearsal | --rehearsal needs a value",
            "--tab foo | --tab: no tab 'foo'",
            "--connect http://127.0.0.1:1 --tab rehearsal | --tab rehearsal",
            "--tab playbooks | --tab playbooks: only a LIVE console",
            "--tab fleet | --tab fleet: only a LIVE console",
            "--tab sources | --tab sources: only a LIVE console on an edge node (--connect) has that tab, not a rehearsal",
            "--bundle pom.xml --tab sources | --tab sources: only a LIVE console on an edge node (--connect) has that tab, not a bundle",
            "--bundle pom.xml --tab triggers | --tab triggers: only a rehearsal and a LIVE console on an edge node have that tab, not a bundle",
            "--bundle pom.xml --tab requests | --tab requests: only a LIVE console",
            "--bundle pom.xml --tab rehearsal | --tab rehearsal: only a rehearsal has that tab, not a bundle",
            "--connect http://127.0.0.1:1 --token-file /nonexistent | --token-file: /nonexistent: no such file",
            "--bundle /nonexistent.zip | --bundle: /nonexistent.zip: no such file",
            "--rehearsal pop-outage --bundle pom.xml | --rehearsal goes without",
            "--bogus | unknown option '--bogus'",
            "--connect http://127.0.0.1:8787/?x=1 | --connect: takes the node's address without a query or fragment",
            "--connect http://127.0.0.1:8787/#top | --connect: takes the node's address without a query or fragment",
            "--connect ftp://127.0.0.1:8787 | --connect: takes an http(s) URL",
            "--connect http://ana:secret@127.0.0.1:8787 | --connect: takes an http(s) URL without a name or password",
    })
    void mistakesNameTheOption(String args, String expected) {
        var e = assertThrows(ConsoleOptions.UsageException.class, () -> ConsoleOptions.parse(Arrays.asList(args.split(" "))));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "a password in a URL is not said back: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--speed 0 | --speed: must be from 0.001 (slower, the show would seem to stand still) to 10000 (engine seconds per wall second), or max; was 0",
            "--speed 10001 | --speed: must be from 0.001 (slower, the show would seem to stand still) to 10000 (engine seconds per wall second), or max; was 10001",
            "--speed 1e-300 | --speed: must be from 0.001 (slower, the show would seem to stand still) to 10000 (engine seconds per wall second), or max; was 1e-300",
            "--speed 0.0009x | --speed: must be from 0.001 (slower, the show would seem to stand still) to 10000 (engine seconds per wall second), or max; was 0.0009x",
            "--exit-after 0 | --exit-after: must be greater than 0 and less than 86400 seconds; was 0",
            "--seed x | --seed: takes a whole number from -9223372036854775808 to 9223372036854775807, not 'x'",
            "--seed 1.5 | --seed: takes a whole number from -9223372036854775808 to 9223372036854775807, not '1.5'",
    })
    void aNumberOutOfRangeIsToldTheRangeItMayHave(String args, String expected) {
        var e = assertThrows(ConsoleOptions.UsageException.class, () -> ConsoleOptions.parse(Arrays.asList(args.split(" "))));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void theHelpMarksTheTabsOnlySomeConsolesHave() {
        java.io.StringWriter help = new java.io.StringWriter();
        ConsoleOptions.usage(new java.io.PrintWriter(help));
        String text = help.toString().replaceAll("\\s+", " ");
        assertTrue(text.contains("sources, requests, playbooks (LIVE only)"), text);
        assertTrue(text.contains("rehearsal (a rehearsal only)"), text);
    }

    @Test
    void theReadmeShowsTheHelpAsItIs() throws Exception {
        java.io.StringWriter help = new java.io.StringWriter();
        ConsoleOptions.usage(new java.io.PrintWriter(help));
        String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
        String opening = "./edgedeck [options]";
        int start = readme.indexOf('\n', readme.indexOf("```\n" + opening) + 4) + 1;
        String copy = readme.substring(start, readme.indexOf("```", start));
        assertEquals(help.toString().replaceAll("[ \\t]+\n", "\n").strip(), copy.replaceAll("[ \\t]+\n", "\n").strip(),
                "README.md's copy of --help, under the line " + opening);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--speeed 3 | edgedeck: unknown option '--speeed'/Did you mean --speed?",
            "--spee 3 | edgedeck: unknown option '--spee'/Did you mean --speed?",
            "--rehersal x | edgedeck: unknown option '--rehersal'/Did you mean --rehearsal?",
            "--exitafter 3 | edgedeck: unknown option '--exitafter'/Did you mean --exit-after?",
            "--report | edgedeck: unknown option '--report'/Did you mean --report-fx or --report-startup?",
            "--bogus | edgedeck: unknown option '--bogus'",
            "-x | edgedeck: unknown option '-x'",
            "foo | edgedeck: unexpected argument 'foo'",
            "--seed 1 --seed=2 | edgedeck: --seed is given more than once; give it once",
            "--insecure=yes | edgedeck: --insecure takes no value, not 'yes'",
            "--help --seed x | edgedeck: --seed: takes a whole number from -9223372036854775808 to 9223372036854775807, not 'x'",
            "-speed 20 | edgedeck: unknown option '-speed'/Did you mean --speed?",
            "-seed42 | edgedeck: unknown option '-seed42'/Did you mean --seed?",
            "-themedark | edgedeck: unknown option '-themedark'/Did you mean --theme?",
            "-seed=42 | edgedeck: unknown option '-seed'/Did you mean --seed?",
            "-seedless | edgedeck: unknown option '-seedless'/Did you mean --seed?",
            "-tabflags | edgedeck: unknown option '-tabflags'/Did you mean --tab?",
            "-connect http://127.0.0.1:8787 | edgedeck: unknown option '-connect'/Did you mean --connect?",
            "-insecure | edgedeck: unknown option '-insecure'/Did you mean --insecure?",
            "-help | edgedeck: unknown option '-help'/Did you mean --help?",
            "-version | edgedeck: unknown option '-version'/Did you mean --version?",
            "-7 | edgedeck: unknown option '-7'",
            "--speeed 3 -seed42 | edgedeck: unknown option '--speeed'/Did you mean --speed?",
            "--SPEED 3 | edgedeck: unknown option '--SPEED'/Did you mean --speed?",
            "--TAB flags | edgedeck: unknown option '--TAB'/Did you mean --tab?",
            "--THEME dark | edgedeck: unknown option '--THEME'/Did you mean --theme?",
            "--Report | edgedeck: unknown option '--Report'/Did you mean --report-fx or --report-startup?",
            "@show.args | edgedeck: '@show.args': argument files are not supported; give the options on the command line",
            "--speed 3 @show.args | edgedeck: '@show.args': argument files are not supported; give the options on the command line",
            "--bogus -- --help | edgedeck: unknown option '--bogus'",
            "-- --help | edgedeck: unexpected argument '--help'",
            "-V=1 | edgedeck: -V takes no value, not '1'",
            "-h=x | edgedeck: -h takes no value, not 'x'",
            "--version=1 | edgedeck: --version takes no value, not '1'",
    })
    void aMistakeIsOneLineNamingTheOptionThenTheNearestOptionsAndStatus2(String args, String expected) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int[] exitCode = {0};
        assertNull(ConsoleOptions.read(args.split(" "), new PrintWriter(out), new PrintWriter(err), exitCode));
        assertEquals(String.join("\n", expected.split("/")) + "\nRun with --help to see every option.\n",
                err.toString().replace(System.lineSeparator(), "\n"));
        assertEquals("", out.toString());
        assertEquals(2, exitCode[0]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"--help", "-h", "--bogus --help", "-hV", "--help stray", "--help -speed 20",
            "-seed42 -h", "--help @show.args"})
    void theHelpIsPrintedEvenBesideAnUnknownOption(String args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int[] exitCode = {0};
        assertNull(ConsoleOptions.read(args.split(" "), new PrintWriter(out), new PrintWriter(err), exitCode));
        assertTrue(out.toString().startsWith("Usage: edgedeck [-hV]"), out.toString());
        assertEquals("", err.toString());
        assertEquals(0, exitCode[0]);
    }

    @Test
    void theVersionNamesTheConsole() {
        StringWriter out = new StringWriter();
        int[] exitCode = {0};
        assertNull(ConsoleOptions.read(new String[]{"--version"}, new PrintWriter(out), new PrintWriter(new StringWriter()), exitCode));
        assertTrue(out.toString().startsWith("EdgeDeck console "), out.toString());
        assertEquals(0, exitCode[0]);
    }

    @Test
    void valuesAreTakenWholeWithOrWithoutAnEqualsSign() throws Exception {
        ConsoleOptions o = ConsoleOptions.parse(List.of("--seed=-5", "--rehearsal", "\"quoted\"", "--speed=max",
                "--report-startup", "--report-fx"));
        assertEquals(-5L, o.seed());
        assertEquals("\"quoted\"", o.scenario(), "a value's quotes are the value's, as the shell passed them");
        assertEquals(0.0, o.speed());
        assertTrue(o.reportStartup() && o.reportFx() && !o.insecure());
        assertEquals(-7L, ConsoleOptions.parse(List.of("--seed", "-7")).seed(), "a negative number is a value");
        assertEquals("-show.json", ConsoleOptions.parse(List.of("--rehearsal", "-show.json")).scenario(),
                "a value that starts with a dash is a value");
        assertEquals("@show.json", ConsoleOptions.parse(List.of("--rehearsal", "@show.json")).scenario(),
                "a value that starts with @ is a value, not an argument file");
    }

    @Test
    void anArgumentFileIsNotReadButSaidToBeUnsupported(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("show.args"), "--speed 20\n");
        var e = assertThrows(ConsoleOptions.UsageException.class, () -> ConsoleOptions.parse(List.of("@" + file)));
        assertEquals("'@" + file + "': argument files are not supported; give the options on the command line",
                e.getMessage());
    }

    @Test
    void onlyWholeOptionNamesAreTaken() {
        var e = assertThrows(ConsoleOptions.UsageException.class, () -> ConsoleOptions.parse(List.of("--spee", "3")));
        assertEquals("unknown option '--spee'", e.getMessage());
        assertEquals(List.of("--speed"), e.suggestions());
    }

    @Test
    void theSuggestionsAreTheNearOptionsNearestFirst() {
        assertEquals(List.of("--speed"), ConsoleOptions.didYouMean("--spede"), "two letters swapped are one keystroke");
        assertEquals(List.of("--seed", "--speed"), ConsoleOptions.didYouMean("--sped"));
        assertEquals(List.of("--tab"), ConsoleOptions.didYouMean("-tba"));
        assertEquals(List.of(), ConsoleOptions.didYouMean("--quiet"));
        assertEquals(List.of(), ConsoleOptions.didYouMean("-q"));
        assertEquals(List.of("--speed"), ConsoleOptions.didYouMean("-speed"), "its own name, not --seed beside it");
        assertEquals(List.of("--speed"), ConsoleOptions.didYouMean("--SPEDE"), "whatever the case, as Suggestions does");
    }
}
