package io.edgedeck.engine.sentiment;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The word lists that are part of VADER's rules rather than its lexicon (Hutto and Gilbert,
 * ICWSM 2014): negations, degree modifiers and the few idioms the reference implementation
 * scores as a whole. They sit apart from the chat lexicon so that {@code plainVader()} stays a
 * faithful baseline.
 */
final class VaderRules {

    static final double C_INCR = 0.733;
    static final double N_SCALAR = -0.74;

    static final Set<String> NEGATE = Set.of(
            "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
            "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
            "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
            "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
            "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
            "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
            "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
            "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite");

    static final Map<String, Double> SPECIAL_CASES = Map.of(
            "the shit", 3.0, "the bomb", 3.0, "bad ass", 1.5, "bus stop", 0.0, "yeah right", -2.0,
            "kiss of death", -1.5, "to die for", 3.0, "beating heart", 3.1, "broken heart", -2.9);

    /** Multi-word dampeners; matched as phrases and then used like any other booster. */
    static final Set<String> BOOSTER_PHRASES = Set.of("kind of", "sort of", "just enough");

    private static final String[] INCREASE = {
        "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
        "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
        "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin",
        "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully", "fuckin",
        "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely", "incredible",
        "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
        "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally",
        "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very"};

    private static final String[] DECREASE = {
        "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less",
        "little", "marginal", "marginally", "occasional", "occasionally", "partly", "scarce",
        "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of"};

    private VaderRules() {}

    static Map<String, Double> boosters() {
        var map = new HashMap<String, Double>();
        for (String word : INCREASE) {
            map.put(word, Lexicons.B_INCR);
        }
        for (String word : DECREASE) {
            map.put(word, Lexicons.B_DECR);
        }
        return map;
    }
}
