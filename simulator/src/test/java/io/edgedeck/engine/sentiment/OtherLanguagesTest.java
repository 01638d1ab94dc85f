package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LanguageLine;
import io.edgedeck.engine.sentiment.SentimentEvaluation.Polarity;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spanish, Portuguese and German read with EdgeDeck's own lexicons and VADER's rules adapted to them. */
class OtherLanguagesTest {

    private final ChatSentimentScorer scorer = new ChatSentimentScorer();

    /** The line gets the side its words say; the last column names the rule that decides it. */
    @ParameterizedTest(name = "{0}: {1} ({3})")
    @CsvSource(delimiter = '|', value = {
        "es|que buena la sudadera, me encanta|pos|its words",
        "es|el streamer es un crack jajaja|pos|its words",
        "es|esto es una estafa, que asco|neg|its words",
        "es|el sitio está caído otra vez|neg|its words",
        "es|cuánto cuesta el envío a méxico|neu|its words",
        "pt|amei a nova coleção, ficou linda|pos|its words",
        "pt|kkkkkk muito bom|pos|its words",
        "pt|que lixo, o site caiu de novo|neg|its words",
        "pt|a qualidade tá horrível|neg|its words",
        "pt|qual tamanho vocês recomendam|neu|its words",
        "de|der hoodie sieht richtig geil aus|pos|its words",
        "de|hahaha wie lustig ist das denn|pos|its words",
        "de|die qualität ist echt mies|neg|its words",
        "de|viel zu teuer für ein shirt|neg|its words",
        "de|welche größe soll ich nehmen|neu|its words",
        "es|no lo sé, pero es genial|pos|negation stops at the clause",
        "es|no puedo creer que sea tan bueno|pos|a negation is spent on a lead-in",
        "de|nicht schlecht|pos|nicht schlecht is praise",
        "es|no está nada mal|pos|a phrase holding its own negation is not negated again",
        "es|bonito pero carísimo|neg|what follows the contrast word is what the writer means",
        "pt|caro mas vale a pena|pos|what follows the contrast word is what the writer means",
        "de|teuer aber richtig gut|pos|what follows the contrast word is what the writer means",
        "es|el drop de hoy 🔥🔥|pos|emoji",
        "pt|o drop de hoje 👎|neg|emoji",
        "de|heute wieder ausverkauft Sadge|neg|emotes",
        "es|genial, otra vez caído Kappa|neg|sarcasm markers",
    })
    void aLineGetsTheSideItsWordsSay(String language, String line, String side, String rule) {
        double score = scorer.compound(line, language);
        assertEquals(side, SentimentEvaluation.ofCompound(score).name().toLowerCase(java.util.Locale.ROOT),
                rule + ": " + line + " scored " + score);
    }

    /**
     * English lines read in the lexicon of the language the gate names them: held-apart pool lines it still
     * misnames ({@code phrase-languages.tsv}) and chat slang Lingua calls German. Read in the named
     * language they keep their English class (chat slang such as "lag" or "hype" is read in every language),
     * or, with nothing in the named lexicon, they are left out; never scored 0 against an English reading
     * that has a side.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "de|fix the lag pls",
        "de|FIX THE LAG PLS",
        "es|TOP TIER CONTENT",
        "es|top tier content",
        "de|clan war so hype",
    })
    void misnamedEnglishKeepsItsSideOrIsLeftOut(String language, String line) {
        var english = scorer.score(line, EmoteValences.GLOBAL);
        var named = scorer.score(line, EmoteValences.GLOBAL, language);
        assertTrue(!named.read()
                        || SentimentEvaluation.ofCompound(named.compound()) == SentimentEvaluation.ofCompound(english.compound()),
                line + " as " + language + " scored " + named.compound() + ", in English " + english.compound());
    }

    @Test
    void aMisnamedEnglishComplaintIsLeftOut() {
        assertFalse(scorer.score("THE BUNDLE IS A RIPOFF", EmoteValences.GLOBAL, "de").read());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "es|el streamer es un crack jajaja",
        "de|die qualität ist echt mies",
        "de|welche größe soll ich nehmen",
        "es|cuánto cuesta el envío a méxico",
    })
    void aLineOfTheNamedLanguageIsStillReadInIt(String language, String line) {
        var named = scorer.score(line, EmoteValences.GLOBAL, language);
        assertTrue(named.read(), line);
    }

    @ParameterizedTest(name = "{0}: {1} / {2}")
    @CsvSource(delimiter = '|', value = {
        "es|es bueno|no es bueno",
        "es|es malo|no es malo",
        "es|me gusta el diseño|no me gusta el diseño",
        "es|la página carga|la página no carga",
        "pt|é bom|não é bom",
        "pt|é ruim|nao é ruim",
        "pt|o checkout funciona|o checkout não funciona",
        "de|das ist gut|das ist nicht gut",
        "de|das ist schlecht|das ist nicht schlecht",
        "de|das gefällt mir|das gefällt mir nicht",
        "de|die seite lädt|die seite lädt nicht",
    })
    void negationTurnsTheWordItReaches(String language, String plain, String negated) {
        double p = scorer.compound(plain, language);
        double n = scorer.compound(negated, language);
        assertTrue(Math.signum(n) != Math.signum(p) || p == 0 && n < 0,
                language + ": '" + plain + "' " + p + " against '" + negated + "' " + n);
        assertTrue(Math.abs(n) >= SentimentEvaluation.COMPOUND_NEUTRAL, negated + " " + n);
    }

    /** Boosters, dampeners, caps, stretched letters, "!" and intensifiers after a word move its score as in English. */
    @ParameterizedTest(name = "{4}: {1} / {2}")
    @CsvSource(delimiter = '|', value = {
        "es|es bueno|es muy bueno|stronger|booster",
        "es|es bueno|es poco bueno|weaker|dampener",
        "es|es bueno|es BUENO|stronger|caps",
        "es|es bueno|es buenooo|stronger|stretched",
        "es|es bueno|es bueno!!|stronger|exclamation",
        "pt|caro|caro demais|stronger|an intensifier after its word",
    })
    void aModifierMovesTheScoreAsInEnglish(String language, String plain, String modified, String way, String rule) {
        double p = scorer.compound(plain, language);
        double m = scorer.compound(modified, language);
        assertTrue(p != 0 && Math.signum(m) == Math.signum(p)
                        && (way.equals("stronger") ? Math.abs(m) > Math.abs(p) : Math.abs(m) < Math.abs(p)),
                rule + ": '" + plain + "' " + p + " against '" + modified + "' " + m);
    }

    @ParameterizedTest(name = "{0}: {1} / {2}")
    @CsvSource(delimiter = '|', value = {
        "es|increíble, está genial|increible, esta genial",
        "pt|não gostei, horrível|nao gostei, horrivel",
        "de|schön und günstig|schoen und guenstig",
    })
    void accentlessSpellingsAndUmlautsReadAsWritten(String language, String written, String spelt) {
        assertEquals(scorer.compound(written, language), scorer.compound(spelt, language));
    }

    @Test
    void schonIsNotSchoen() {
        assertEquals(0.0, scorer.compound("das ist schon da", "de"), "'schon' (already) is not 'schön'");
    }

    @Test
    void aChannelsLearnedEmoteAppliesAsInEnglish() {
        var learned = EmoteValences.of(java.util.Set.of(), name -> name.equals("KEKW") ? -2.5 : Double.NaN);
        assertTrue(scorer.score("el streamer KEKW", learned, "es").compound() < 0, "a channel's learned emote");
    }

    @Test
    void englishAndLanguagesWithoutALexiconAreReadAsBefore() {
        for (String line : List.of("this drop is fire no cap", "great, it crashed", "page won't load", "lol")) {
            assertEquals(scorer.compound(line), scorer.compound(line, "en"), line);
            assertEquals(scorer.compound(line), scorer.compound(line, "fr"), line);
        }
        assertTrue(ChatSentimentScorer.reads("es") && ChatSentimentScorer.reads("pt") && ChatSentimentScorer.reads("de"));
        assertFalse(ChatSentimentScorer.reads("fr") || ChatSentimentScorer.reads("it") || ChatSentimentScorer.reads("cyrillic"));
        // Plain VADER is the English baseline: it reads every line as English.
        var vader = ChatSentimentScorer.plainVader();
        assertEquals(vader.compound("me encanta"), vader.compound("me encanta", "es"));
    }

    @Test
    void anyStringIsSafe() {
        for (String language : List.of("es", "pt", "de")) {
            for (String line : new String[]{null, "", "   ", "!!!", "\uD800", "no no no no", "nicht", "x".repeat(100_000)}) {
                double s = scorer.compound(line, language);
                assertTrue(s >= -1 && s <= 1, language + " " + s);
            }
        }
    }

    @Test
    void eachLexiconSaysItIsEdgeDecksOwnAndLoads() throws IOException {
        for (String language : LanguageLexicon.LANGUAGES) {
            String resource = "io/edgedeck/engine/sentiment/lexicon-" + language + ".tsv";
            String text;
            try (var in = getClass().getClassLoader().getResourceAsStream(resource)) {
                assertNotNull(in, resource);
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(text.contains("Written for EdgeDeck") && text.contains("not translated from VADER"), resource);
            LanguageLexicon lex = LanguageLexicon.of(language);
            assertTrue(lex.words.size() + lex.phrases.size() >= 300, resource + " entries: " + lex.words.size());
            assertFalse(lex.negators.isEmpty() && lex.postNegators.isEmpty(), resource);
            assertFalse(lex.contrasts.isEmpty(), resource);
            assertFalse(lex.boosters.isEmpty(), resource);
        }
        assertNull(LanguageLexicon.of("fr"));
    }

    @Test
    void aMalformedOrRepeatedEntryNamesItsLine() {
        var repeated = assertThrows(IllegalStateException.class, () -> LanguageLexicon.read("es",
                new BufferedReader(new StringReader("word\tbueno\t1.9\nword\tBueno\t2\n")), "lexicon-es.tsv"));
        assertEquals("lexicon-es.tsv:2: word 'Bueno' is listed twice", repeated.getMessage());
        var noValue = assertThrows(IllegalStateException.class, () -> LanguageLexicon.read("de",
                new BufferedReader(new StringReader("# c\nword\tgut\n")), "lexicon-de.tsv"));
        assertEquals("lexicon-de.tsv:2: word needs a value in -4..4", noValue.getMessage());
        var kind = assertThrows(IllegalStateException.class, () -> LanguageLexicon.read("pt",
                new BufferedReader(new StringReader("palavra\tbom\t1\n")), "lexicon-pt.tsv"));
        assertEquals("lexicon-pt.tsv:1: unknown kind 'palavra'", kind.getMessage());
    }

    /** Development set 2 is what the lexicons were tuned on: a check that they still read it, not an estimate. */
    @Test
    void theLexiconsStillReadTheirDevelopmentLines() throws IOException {
        List<LanguageLine> lines;
        var in = getClass().getClassLoader().getResourceAsStream(SentimentEvaluation.LANGUAGE_DEV2.resource());
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            lines = SentimentEvaluation.readLanguageLines(reader, "dev2");
        }
        for (String language : List.of("es", "pt", "de")) {
            var of = lines.stream().filter(l -> l.language().equals(language)).toList();
            assertTrue(of.size() >= 100, language + " lines: " + of.size());
            for (Polarity p : Polarity.values()) {
                assertTrue(of.stream().filter(l -> l.label() == p).count() >= 30, language + " " + p);
            }
            long right = of.stream()
                    .filter(l -> SentimentEvaluation.ofCompound(scorer.compound(l.text(), language)) == l.label()).count();
            assertTrue(right >= 0.9 * of.size(), language + ": " + right + " of " + of.size());
        }
    }

    @Test
    void theEvaluationReportsEachLanguageAndLeavesTheTestSetAloneWhenAsked() {
        var bytes = new ByteArrayOutputStream();
        SentimentEvaluation.reportLanguages(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String language : List.of("es", "pt", "de")) {
            assertTrue(out.contains("development 2 " + language), out);
        }
        assertTrue(out.contains("test (blind)        not measured (--development-only)"), out);
    }

    /** The language gate's figures docs/SENTIMENT.md quotes, all from development lines. */
    @Test
    void theEvaluationReportsTheLanguageGateOnDevelopmentLines() {
        var bytes = new ByteArrayOutputStream();
        SentimentEvaluation.reportGate(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s)language gate {7}English lines called another language: \\d+ of 800 \\(development 1 and 2\\),"
                + " \\d+ of 2660 \\(every chat development and training line\\)\n.*"), out);
        assertTrue(out.matches("(?s).*gate development \\(other-languages-dev.tsv\\): \\d+ of 90 recognised as another language\n.*"), out);
        assertTrue(out.matches("(?s).*development 2: each line told as its own language: es \\d+ of 106, pt \\d+ of 105, de \\d+ of 107\n"), out);
    }

    /** The development figures docs/SENTIMENT.md quotes ("Languages"), as the runnable jar gives them. */
    @Test
    void theGatesDevelopmentFiguresAreTheOnesTheDocsQuote() {
        assertEquals("""
                language gate       English lines called another language: 0 of 800 (development 1 and 2), 0 of 2660 (every chat development and training line)
                                    gate development (other-languages-dev.tsv): 84 of 90 recognised as another language
                                    development 2: each line told as its own language: es 96 of 106, pt 99 of 105, de 101 of 107
                """, ShippedModels.gateReport());
    }
}
