package io.edgedeck.engine.sentiment;

import java.util.List;
import java.util.concurrent.TimeUnit;
import io.edgedeck.bench.ShortRun;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The chat scorer's cost per line, with and without the classifier, over the development lines in
 * file order (never a test set), and the cost of training the classifier from those lines (what the
 * build pays, and a process whose built model file is missing). Lives in the scorer's package because the classifier is
 * package-private; run it as the other benchmarks (docs/BENCHMARKS.md), by the name
 * {@code SentimentScoring}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SentimentScoringBenchmark extends ShortRun {

    private ChatSentimentScorer chat;
    private ChatSentimentScorer lexicon;
    private String[] lines;
    private List<SentimentEvaluation.LabelledText> development;
    private int next;

    @Setup
    public void setUp() {
        chat = new ChatSentimentScorer();
        lexicon = ChatSentimentScorer.lexiconOnly();
        development = ChatClassifier.developmentLines();
        lines = development.stream().map(SentimentEvaluation.LabelledText::text).toArray(String[]::new);
        chat.compound("warm the model up");
    }

    /** One development line through the chat scorer: lexicon, rules and classifier. */
    @Benchmark
    public double chatScorer() {
        String line = lines[next];
        next = next + 1 == lines.length ? 0 : next + 1;
        return chat.compound(line);
    }

    /** One development line through the lexicon and rules alone. */
    @Benchmark
    public double lexiconAlone() {
        String line = lines[next];
        next = next + 1 == lines.length ? 0 : next + 1;
        return lexicon.compound(line);
    }

    /** Loading the model the build put in the jar, checksum of its sources included: what a process pays once. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ChatClassifier loadBuilt() {
        return ChatModelFile.load().orElseThrow();
    }

    /** Training the classifier from every development line, features included: what the build pays. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ChatClassifier training() {
        return ChatClassifier.trainChosen(development);
    }
}
