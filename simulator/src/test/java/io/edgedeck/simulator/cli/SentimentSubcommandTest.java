package io.edgedeck.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentSubcommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stdinLinesTheEngineLeavesOutAreSaidToBeCountedNotScored() {
        InputStream before = System.in;
        Result r;
        try {
            System.setIn(new ByteArrayInputStream(("che bello questo concerto stasera ragazzi\nrammstein ist the best\n"
                    + "this drop is fire\n").getBytes(StandardCharsets.UTF_8)));
            r = run("sentiment");
        } finally {
            System.setIn(before);
        }
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertEquals("counted, not scored: Italian, a language the scorer does not read", lines[0]);
        assertTrue(lines[1].startsWith("counted, not scored: named German, but the German lexicon finds no sentiment"),
                lines[1]);
        assertTrue(lines[2].matches("0\\.\\d{4}") && Double.parseDouble(lines[2]) > 0.05, lines[2]);
    }

    @Test
    void evaluateReportsEveryLabelledSetAndSaysWhenTweetsAreNotMeasured() {
        Result r = run("sentiment", "--evaluate");
        assertEquals(0, r.code(), r.err());
        // Messages name what is missing, never the whole output: it may hold the blind test figures.
        assertTrue(r.out().contains("development 1         299"), "development 1 row");
        assertTrue(r.out().contains("development 2"), "development 2 row");
        assertTrue(r.out().contains("test 1 (history)"), "test 1 row");
        assertTrue(r.out().contains("test 2 (blind)"), "test 2 row");
        assertTrue(r.out().lines().findFirst().orElse("").contains("lexicon only"), "the lexicon-only column");
        assertTrue(r.out().contains("tweets: not measured"), "tweets line");
    }

    @Test
    void evaluateReadsATweetsFileInTheGroundTruthShape(@TempDir Path dir) throws IOException {
        Path tweets = dir.resolve("tweets.tsv");
        Files.writeString(tweets, "1\t2.5\tI love this so much\n2\t-3.1\tthis is awful and I hate it\n3\t0.1\tthe bus is at noon\n");
        Result r = run("sentiment", "--evaluate", "--development-only", "--tweets", tweets.toString());
        assertEquals(0, r.code(), r.err());
        String tweetsRow = r.out().lines().filter(l -> l.startsWith("tweets")).findFirst().orElseThrow();
        // Three scorers (chat, lexicon only, plain VADER), each r, accuracy / macro-F1; all three texts read right.
        assertTrue(tweetsRow.matches("tweets {18}3 {3}r (0\\.9\\d\\d|1\\.000), 1\\.000 / 1\\.000 +(r 1\\.000, 1\\.000 / 1\\.000 *){2}"),
                tweetsRow);
    }

    @Test
    void badOptionsAndFilesAreNamedAndExitTwo(@TempDir Path dir) throws IOException {
        Result unknown = run("sentiment", "--verbose");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown option: '--verbose'"), unknown.err());
        Result missing = run("sentiment", "--evaluate", "--tweets", dir.resolve("none.tsv").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--tweets: no readable file at"), missing.err());
        Result arity = run("sentiment", "--evaluate", "--tweets");
        assertEquals(2, arity.code());
        assertTrue(arity.err().contains("Missing required parameter for option '--tweets'"), arity.err());
        Result alone = run("sentiment", "--tweets", dir.resolve("none.tsv").toString());
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("--tweets goes with --evaluate"), alone.err());
        Result mixed = run("sentiment", "--cross-validate", "--evaluate");
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("--cross-validate stands alone"), mixed.err());
        Result general = run("sentiment", "--evaluate", "--general-only");
        assertEquals(2, general.code());
        assertTrue(general.err().contains("--general-only goes with --cross-validate"), general.err());
        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "1\tlots\tI love it\n");
        Result notANumber = run("sentiment", "--evaluate", "--tweets", bad.toString());
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("bad.tsv:1: the mean rating (column 2) is not a number"), notANumber.err());
    }

    @Test
    void labelledScoresAFileInTheSetsShapeWithTheShippedScorer(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("blind.tsv");
        Files.writeString(file, "# a comment\npos\tI love this so much\n\nneg\tthis is awful and I hate it\n"
                + "neu\twhat time does it start\nneu\tthis is great\n");
        Result r = run("sentiment", "--labelled", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 lines"), r.out());
        assertTrue(r.out().contains("chat scorer              3-class accuracy 0.750"), r.out());
        assertTrue(r.out().contains("lexicon and rules alone"), r.out());
        assertTrue(r.out().contains("plain VADER"), r.out());
        assertTrue(r.out().contains("  neu     1     1     0"), r.out());
    }

    @Test
    void aBadLabelledFileIsNamedWithItsLineAndExitsTwo(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "pos\tfine\nhappy\tsecret test line\n");
        Result r = run("sentiment", "--labelled", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.tsv:2: expected label (pos, neu or neg) <TAB> text"), r.err());
        assertTrue(!r.err().contains("secret test line"), "the line's text is never shown");
        Result missing = run("sentiment", "--labelled", dir.resolve("none.tsv").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--labelled: no readable file at"), missing.err());
        Result mixed = run("sentiment", "--labelled", bad.toString(), "--evaluate");
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("--labelled stands alone"), mixed.err());
        Path empty = dir.resolve("empty.tsv");
        Files.writeString(empty, "# nothing\n");
        Result none = run("sentiment", "--labelled", empty.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no labelled lines"), none.err());
    }
}
