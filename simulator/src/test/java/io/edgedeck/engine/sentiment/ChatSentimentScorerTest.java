package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chat scorer, case by case. Over 350 lines, on purpose: one table of chat lines and the reading
 * each must get, grouped by the rule it pins down.
 */
class ChatSentimentScorerTest {

    /** The lexicon and its rules, which these tests pin; the classifier on top is ChatClassifierTest's. */
    private final ChatSentimentScorer chat = ChatSentimentScorer.lexiconOnly();
    private final ChatSentimentScorer vader = ChatSentimentScorer.plainVader();

    /** Compound scores published in the VADER README for the reference implementation. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            VADER is smart, handsome, and funny.                                                  |  0.8316
            VADER is smart, handsome, and funny!                                                  |  0.8439
            VADER is very smart, handsome, and funny.                                             |  0.8545
            VADER is VERY SMART, handsome, and FUNNY.                                             |  0.9227
            VADER is VERY SMART, handsome, and FUNNY!!!                                           |  0.9342
            VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!                              |  0.9469
            The book was good.                                                                    |  0.4404
            At least it isn't a horrible book.                                                    |  0.4310
            The book was only kind of good.                                                       |  0.3832
            The plot was good, but the characters are uncompelling and the dialog is not great.   | -0.7042
            Today SUX!                                                                            | -0.5461
            Today only kinda sux! But I'll get by, lol                                            |  0.5249
            Make sure you :) or :D today!                                                         |  0.8633
            """)
    void plainVaderReproducesTheReferenceScores(String text, double expected) {
        assertEquals(expected, vader.compound(text), 0.00005);
    }

    @ParameterizedTest
    @ValueSource(strings = {"good", "happy", "fire 🔥", "a W"})
    void negationFlipsTheSign(String phrase) {
        assertTrue(chat.compound(phrase) > 0, phrase);
        for (String negation : new String[] {"not ", "never ", "isn't ", "ain't ", "dont "}) {
            assertTrue(chat.compound(negation + phrase) < 0, negation + phrase);
        }
    }

    @Test
    void hypeWordsPraiseAPlayAndComplainAboutAPrice() {
        assertTrue(chat.compound("that flick was insane") > 0);
        assertTrue(chat.compound("light show is crazy") > 0);
        assertTrue(chat.compound("80 for a tee is crazy") < 0, "an amount makes it about the price");
        assertTrue(chat.compound("the shipping price is insane") < 0);
        assertTrue(chat.compound("crazy good") > 0, "before a sentiment word it only boosts");
    }

    @Test
    void aRunOfWOrLIsTheLetterEmphasised() {
        assertTrue(chat.compound("WWWWWW") > chat.compound("W"));
        assertTrue(chat.compound("LLLL") < 0);
        assertEquals(0.0, chat.compound("www"), "lower case is no verdict");
    }

    @Test
    void aComplaintShapedAsAQuestionIsNegative() {
        assertTrue(chat.compound("why is it always sold out") < 0);
        assertTrue(chat.compound("how is the site still down") < 0);
        assertEquals(0.0, chat.compound("why is the drop at 6"), "a plain why-question");
    }

    @Test
    void leadInsAndEmotesEscapeNegation() {
        assertTrue(chat.compound("didn't expect to enjoy this so much") > 0);
        assertTrue(chat.compound("no scope KEKW") > 0, "an emote is a reaction, never negated");
        assertTrue(chat.compound("not gonna lie this is fire") > 0);
    }

    @Test
    void informationQuestionsIgnoreEverydayWordsUpToThree() {
        assertEquals(0.0, chat.compound("when is the winner announced"));
        assertTrue(chat.compound("is this the best drop ever?") >= 0);
    }

    @Test
    void negationDoesNotReachIntoTheNextClause() {
        assertTrue(chat.compound("it's not mid, it's fire") > 0);
        assertTrue(chat.compound("it's not mid it's good") < chat.compound("it's not mid, it's good"));
    }

    @Test
    void aNegationIsSpentOnTheFirstSentimentWordAfterIt() {
        assertTrue(chat.compound("it's not fire it's mid") < 0);
        assertTrue(chat.compound("not fire 🔥") < 0, "an emoji echoes the negated word before it");
        assertTrue(chat.compound("not bad at all") > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"couldn't be happier", "can't get any better", "could not be better"})
    void aNegatedComparativeIsASuperlative(String line) {
        assertTrue(chat.compound(line) > 0, line);
        assertTrue(chat.compound("not better") < 0);
    }

    @Test
    void praiseOfThePastIsAComplaintAboutNow() {
        assertTrue(chat.compound("the old merch was better") < 0);
        assertTrue(chat.compound("last year was way better") < 0);
        assertTrue(chat.compound("less hyped than last time") < 0);
        assertTrue(chat.compound("better than the last drop") > 0);
        assertTrue(chat.compound("the new one is better than the old one") > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"what's the prize", "fits true to size?", "is the stream delayed", "how much is shipping",
        "is it limited", "does paypal work", "what's the wash care", "any left in medium?"})
    void informationQuestionsAreNeutral(String line) {
        assertEquals(0.0, chat.compound(line), 0.049, line);
    }

    @Test
    void exclamationsAndComplaintsShapedAsQuestionsKeepTheirFeeling() {
        assertTrue(chat.compound("how is this so good??") > 0);
        assertTrue(chat.compound("how cool is that?") > 0);
        assertTrue(chat.compound("why is it so laggy") < 0);
        assertTrue(chat.compound("is the site down for anyone else?") < 0, "chat's complaint vocabulary counts in questions");
        assertTrue(chat.compound("is this the best drop ever?") > 0, "strong words count in questions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"great, it crashed again", "nice one, charged twice", "great another L",
        "oh perfect, sold out again", "love how the site dies every single time"})
    void aBarePositiveOpenerBeforeANegativeRemarkIsSarcasm(String line) {
        assertTrue(chat.compound(line) < 0, line + " " + chat.compound(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"amazing drop, lag was annoying but got mine", "love how smooth checkout was", "great, got mine",
        "nice, more merch"})
    void aPositiveOpenerBeforeNoComplaintIsPraise(String line) {
        assertTrue(chat.compound(line) > 0, line + " " + chat.compound(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"page won't load", "the code doesn't work", "can't even hear anything", "never arrived",
        "checkout not working"})
    void aFunctionVerbUnderNegationIsAFailure(String line) {
        assertTrue(chat.compound(line) < 0, line);
    }

    @Test
    void aFunctionVerbAloneOrBeforeSentimentIsNoFailure() {
        assertEquals(0.0, chat.compound("it works on mobile"));
        assertEquals(0.0, chat.compound("i don't need to see it"));
        assertTrue(chat.compound("don't see any lag") > 0, "the negation is the lag's");
    }

    @Test
    void laughterWordsAboutTheWriterInALaughingMessage() {
        assertTrue(chat.compound("dead 💀💀") > 0);
        assertTrue(chat.compound("i'm weak 😂") > 0);
        assertTrue(chat.compound("bro im literally crying lmao") > 0);
        assertTrue(chat.compound("the site died 💀") < 0, "not about the writer");
        assertTrue(chat.compound("dead") < 0, "no laughter in the message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hahahaha", "ahahah", "HAHAHAHA", "hehehe", "jajaja", "lolololol"})
    void typedOutLaughterIsLaughter(String line) {
        assertTrue(chat.compound(line) > 0, line);
        assertEquals(0.0, chat.compound("haah hah ahh hja"));
    }

    @Test
    void aDoubleLetterTypedOnceIsRepairedAndNothingElse() {
        assertEquals(chat.compound("so pretty"), chat.compound("so prety"), 1e-12);
        assertEquals(0.0, chat.compound("supper"), "a real word is not turned into another");
        assertEquals(0.0, chat.compound("morning"));
    }

    @Test
    void ratingsOutOfTen() {
        assertTrue(chat.compound("10/10") > 0.5);
        assertTrue(chat.compound("11/10 would buy again") > 0.5);
        assertTrue(chat.compound("2/10") < -0.3);
        assertTrue(chat.compound("5/10") < 0);
        assertEquals(0.0, chat.compound("3/5"), "only out of ten");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", "ok ok", "alright", "fair", "true", "sure", "fair enough"})
    void aReplyThatOnlyAcknowledgesIsNeutral(String line) {
        assertEquals(0.0, chat.compound(line), line);
        assertTrue(chat.compound("ok this is great") > 0);
    }

    @Test
    void wordsWhoseChatSenseDependsOnWhoTheyAreAbout() {
        assertTrue(chat.compound("that's sick") > 0);
        assertTrue(chat.compound("the colorway is sick 🔥") > 0);
        assertTrue(chat.compound("i'm so sick") < 0);
        assertTrue(chat.compound("sick of the lag") < 0);
        assertTrue(chat.compound("just copped") > 0);
        assertTrue(chat.compound("bots bought everything") <= 0);
    }

    @Test
    void scoredSaysWhetherAnythingCarriedSentimentAndWhatTheWordsAloneSay() {
        var none = chat.score("when does the drop start", EmoteValences.GLOBAL);
        assertFalse(none.signal());
        assertTrue(Double.isNaN(none.wordCompound()));
        var emoteOnly = chat.score("pog POG", EmoteValences.GLOBAL);
        assertTrue(emoteOnly.signal());
        assertTrue(Double.isNaN(emoteOnly.wordCompound()), "only an emote: no evidence for learning");
        assertEquals(List.of("Pog", "Pog"), emoteOnly.emotes(), "named as the lexicon spells them");
        var mixed = chat.score("great stream KEKW", EmoteValences.GLOBAL);
        assertEquals(chat.compound("great stream"), mixed.wordCompound(), 1e-12);
        assertTrue(mixed.compound() > mixed.wordCompound());
    }

    @Test
    void marksAndLearnedValencesDecideAnEmote() {
        var unmarked = chat.score("peepoClap nice", EmoteValences.GLOBAL);
        assertEquals(List.of(), unmarked.emotes());
        var marked = chat.score("peepoClap nice", EmoteValences.of(Set.of("peepoClap"), EmoteValences.LearnedValences.NONE));
        assertEquals(List.of("peepoClap"), marked.emotes());
        assertEquals(chat.compound("nice"), marked.compound(), 1e-12, "an emote nobody knows yet carries nothing");
        var learned = chat.score("peepoClap nice", EmoteValences.of(Set.of("peepoClap"), e -> e.equals("peepoClap") ? 2.0 : Double.NaN));
        assertTrue(learned.compound() > marked.compound());
        var sour = chat.score("Pog", EmoteValences.of(Set.of(), e -> e.equals("Pog") ? -1.5 : Double.NaN));
        assertTrue(sour.compound() < 0, "a learned valence overrides the global seed");
        var caps = chat.score("L", EmoteValences.of(Set.of("l"), EmoteValences.LearnedValences.NONE));
        assertTrue(caps.compound() < 0, "a mark matches the exact spelling only");
    }

    @Test
    void noNegatesWhatFollowsIt() {
        assertTrue(chat.compound("lag") < 0);
        assertTrue(chat.compound("no lag") > 0);
        assertTrue(chat.compound("zero issues") > 0);
    }

    @Test
    void capsEmphasisesAWordAmongLowerCaseOnes() {
        assertTrue(chat.compound("this stream is GREAT") > chat.compound("this stream is great"));
        assertTrue(chat.compound("this stream is AWFUL") < chat.compound("this stream is awful"));
    }

    @Test
    void aWholeMessageInCapsIsShouting() {
        assertTrue(chat.compound("THIS IS AMAZING") > chat.compound("this is amazing"));
        assertTrue(chat.compound("WHY IS IT SO LAGGY") < chat.compound("why is it so laggy"));
    }

    @Test
    void emotesInCapsAreNotShouting() {
        assertEquals(chat.compound("KEKW"), chat.compound("kekw"), 1e-12);
        assertTrue(chat.compound("great stream LUL") > chat.compound("great stream"));
    }

    @Test
    void boostersAndDampeners() {
        assertTrue(chat.compound("really good") > chat.compound("good"));
        assertTrue(chat.compound("hella good") > chat.compound("good"));
        assertTrue(chat.compound("kinda good") < chat.compound("good"));
        assertTrue(chat.compound("lowkey good") < chat.compound("good"));
        assertTrue(chat.compound("fire af") > chat.compound("fire"));
        assertTrue(chat.compound("mad hype") > chat.compound("hype"));
        assertTrue(chat.compound("not even mad") > 0, "a booster word that stands alone keeps its own meaning");
    }

    @Test
    void repeatedPunctuationAmplifies() {
        assertTrue(chat.compound("good!!!") > chat.compound("good!"));
        assertTrue(chat.compound("good!") > chat.compound("good"));
        assertTrue(chat.compound("lag??") < chat.compound("lag"));
    }

    @Test
    void butShiftsWeightToTheClauseAfterIt() {
        assertTrue(chat.compound("nice drop but the lag is unbearable") < 0);
        assertTrue(chat.compound("the lag is annoying but the drop is amazing") > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"🔥", "💀", "😭", "💯", "❤️", "❤", "👍", "👍🏽", "😂"})
    void positiveEmoji(String emoji) {
        assertTrue(chat.compound(emoji) > 0, emoji);
        assertEquals(0.0, vader.compound(emoji), "plain VADER has no emoji lexicon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"👎", "🤮", "😡", "🤡"})
    void negativeEmoji(String emoji) {
        assertTrue(chat.compound(emoji) < 0, emoji);
    }

    @Test
    void emojiGluedToWordsAreSeparateTokens() {
        assertTrue(chat.compound("hype🔥🔥") > chat.compound("hype"));
        assertEquals(chat.compound("👍"), chat.compound("👍🏿"), 1e-12, "skin tone does not change the meaning");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Pog", "pog", "POG", "PogChamp", "POGGERS", "KEKW", "LUL", "OMEGALUL", "FeelsGoodMan",
        "gg", "ez", "goated", "bussin", "sheesh", "based", "W", "huge W", "lets go", "LETS GOOOO",
        "take my money", "shut up and take my money", "no cap this is fire", "this drop is fire", "💀💀💀"})
    void positiveChat(String line) {
        assertTrue(chat.compound(line) >= 0.05, line + " " + chat.compound(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sadge", "monkaS", "PepeHands", "FeelsBadMan", "L", "massive L", "take the L", "mid",
        "this drop is mid", "mid af", "ratio", "cringe", "F", "F in chat", "scam", "lag", "laggy", "buffering",
        "stutter", "refund", "wow amazing checkout Kappa", "love the queue /s"})
    void negativeChat(String line) {
        assertTrue(chat.compound(line) <= -0.05, line + " " + chat.compound(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mid stream break", "based on the data", "w/ friends at the stream", "F-16s", "Kappa", "link?", "what is the aspect ratio here"})
    void chatWordsOnlyCountInTheirChatSense(String line) {
        assertEquals(vader.compound(line), chat.compound(line), 0.05, line);
    }

    @Test
    void dropStreamVocabularyIsNeutral() {
        assertTrue(vader.compound("when does the drop start") < 0);
        assertEquals(0.0, chat.compound("when does the drop start"));
        assertEquals(0.0, chat.compound("discord link"));
        assertTrue(vader.compound("discord link") < 0);
    }

    @Test
    void takeMyMoneyIsNotShutUp() {
        assertTrue(chat.compound("shut up and take my money") > 0.5);
        assertTrue(chat.compound("shut up") < 0);
    }

    @Test
    void elongatedWordsAreRecognisedAndEmphasised() {
        assertTrue(chat.compound("gooood") > chat.compound("good"));
        assertTrue(chat.compound("sooooo good") > chat.compound("good"));
        assertTrue(chat.compound("lmaooooo") > 0);
        assertTrue(chat.compound("nooooo") < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "\u0000", "!!!", "???", "\uD800", "\uDC00abc", "‍", "️", "🏽"})
    void emptyOrOddInputIsNeutral(String text) {
        assertEquals(0.0, chat.compound(text));
    }

    @Test
    void nullIsNeutral() {
        assertEquals(0.0, chat.compound(null));
    }

    @Test
    void controlCharactersSeparateWords() {
        assertEquals(chat.compound("good stream"), chat.compound("good\u0000stream\u0007\u001b"), 1e-12);
    }

    @Test
    void mixedScripts() {
        double score = chat.compound("très bien 👍 Привет 世界 مرحبا שלום こんにちは good");
        assertTrue(score > 0 && score <= 1);
    }

    @Test
    void hundredKilobyteMessage() {
        String big = "good lag 🔥 not bad KEKW ".repeat(4_000);
        assertTrue(big.length() >= 100_000);
        double score = chat.compound(big);
        assertTrue(score >= -1 && score <= 1 && !Double.isNaN(score));
        assertTrue(chat.compound("great ".repeat(20_000)) > 0.99);
        assertTrue(chat.compound("awful ".repeat(20_000)) < -0.99);
    }

    @Test
    void arbitraryCodePointsNeverThrowAndStayInRange() {
        var random = new SplittableRandom(42);
        for (int round = 0; round < 3_000; round++) {
            var text = new StringBuilder();
            int length = random.nextInt(40);
            for (int k = 0; k < length; k++) {
                int pick = random.nextInt(4);
                if (pick == 0) {
                    text.append((char) random.nextInt(0x10000));
                } else if (pick == 1) {
                    text.appendCodePoint(0x1F300 + random.nextInt(0x700));
                } else {
                    text.append(new String[] {"good", "NOT", " ", "!", "?", "but", "W", "L", "lol", "no", "mid"}[random.nextInt(11)]);
                }
            }
            double score = chat.compound(text.toString());
            assertTrue(score >= -1 && score <= 1, text.toString());
            double baseline = vader.compound(text.toString());
            assertTrue(baseline >= -1 && baseline <= 1, text.toString());
        }
    }

    @Test
    void oneScorerIsSafeToShareBetweenThreads() {
        String[] lines = {"Pog", "lag again 😡", "not bad at all", "huge W chat", "this drop is mid", "gooood stream"};
        double[] expected = new double[lines.length];
        for (int i = 0; i < lines.length; i++) {
            expected[i] = chat.compound(lines[i]);
        }
        IntStream.range(0, 60_000).parallel().forEach(i ->
                assertEquals(expected[i % lines.length], chat.compound(lines[i % lines.length])));
    }
}
