package io.edgedeck.client.guardrails;

import io.edgedeck.client.model.ConditionStatus;
import io.edgedeck.client.model.GuardrailMetric;
import io.edgedeck.client.model.GuardrailStatus;
import io.edgedeck.client.model.MeanDifference;
import io.edgedeck.client.model.RuleMatch;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A guardrail's conditions in words that read true: the estimate, the end of its interval that
 * matters, and what the interval says, e.g. "conversion lift +26% (could be as low as -4%): not
 * clearly above 3%". The engine writes firing reasons with it and the console shows it live, so both
 * say the same thing.
 */
public final class GuardrailExplanations {
    /**
     * A firing's value for a sentiment change whose share no data can bound: the difference of the arms' mean scores,
     * on the scale of -1 to 1, recorded in place of {@code sentimentChange}.
     */
    public static final String SENTIMENT_SCORE_DIFFERENCE = "sentimentScoreDifference";

    private GuardrailExplanations() {
    }

    /**
     * Whether a condition's estimate is shown as the score difference rather than as its share: a sentiment change
     * with an end no data can bound (control's chat may be neutral), whose share is the difference over the 0.1 floor.
     */
    public static boolean byScore(ConditionStatus c) {
        return c.metric() == GuardrailMetric.SENTIMENT_CHANGE && c.estimate() != null && (c.lower() == null || c.upper() == null);
    }

    /** The rule's conditions over its period, joined by "and" or "or", after "since M:SS". */
    public static String rule(GuardrailStatus g) {
        String joiner = g.match() == RuleMatch.ANY ? "; or " : "; and ";
        String conditions = conditions(g.conditions(), joiner);
        return g.periodSinceMillis() == null ? conditions : "since " + clock(g.periodSinceMillis()) + ": " + conditions;
    }

    /** Each condition in words, joined by {@code joiner}. */
    public static String conditions(List<ConditionStatus> conditions, String joiner) {
        return conditions.stream().map(GuardrailExplanations::condition).collect(Collectors.joining(joiner));
    }

    /** One condition in words. */
    public static String condition(ConditionStatus c) {
        GuardrailMetric m = c.metric();
        if (c.estimate() == null) {
            return m.label() + " " + c.op().symbol() + " " + m.formatThreshold(c.threshold()) + ": not enough data yet";
        }
        boolean harmHigh = c.op().harmIsHigher();
        String threshold = m.formatThreshold(c.threshold());
        // A share with an end nobody can bound (control's chat may be neutral) is no number to read: its estimate is
        // the difference over the 0.1 floor, e.g. -847% beside a score 0.85 lower. The score difference stands in.
        boolean byScore = byScore(c);
        MeanDifference score = byScore ? c.meanDifference() : null;
        String head = !byScore ? m.label() + " " + m.format(c.estimate())
                : score == null ? m.label() : m.label() + " score " + signed(score.estimate());
        // the end of the interval on the side of harm, and the one on the side of no harm
        Double harmSide = harmHigh ? c.upper() : c.lower();
        Double safeSide = harmHigh ? c.lower() : c.upper();
        String safeDirection = harmHigh ? "below" : "above";
        String harmDirection = harmHigh ? "above" : "below";
        // the end of the interval that matters in words, and what the interval says
        String[] said = switch (c.state()) {
            case NO_DATA -> null;
            case HARM_ESTABLISHED -> new String[] {bound(m, safeSide, harmHigh ? "at least" : "at most"), "clearly "
                    + harmDirection + " " + reference(m, c.threshold())
                    + (m.againstControl() ? " and " + harmDirection + " " + threshold : "")};
            case PAST_THRESHOLD -> new String[] {bound(m, safeSide, "could be as " + (harmHigh ? "low" : "high") + " as"),
                    harmDirection + " " + threshold + " but not clearly "
                    + (m.againstControl() ? harmDirection + " control " : "") + "yet"};
            case NOT_RULED_OUT -> new String[] {bound(m, harmSide, "could be as " + (harmHigh ? "high" : "low") + " as"),
                    "not clearly " + safeDirection + " " + threshold};
            case RULED_OUT -> new String[] {bound(m, harmSide, harmHigh ? "at most" : "at least"), "clearly "
                    + safeDirection + " " + threshold};
        };
        if (said == null) {
            return m.label() + " " + c.op().symbol() + " " + threshold + ": not enough data yet";
        }
        if (score == null) {
            return head + " (" + said[0] + "): " + said[1];
        }
        // The score's interval first, then the share's end that matters: "as a share at most -12%" where it has one.
        String share = said[0].startsWith("no bound") ? said[0] : "as a share " + said[0];
        return head + " (" + signed(score.lower()) + " to " + signed(score.upper()) + " on a scale of -1 to 1; " + share
                + "): " + said[1];
    }

    /**
     * A score's interval end with its sign, to two places; an end that would round to 0.00 keeps the side of zero it
     * lies on ("-0.003", or "just below 0"), as that side is what says whether the chat clearly moved; zero itself is
     * "0.00", never "-0.00". The console's chat tile writes its interval's ends with it too.
     */
    public static String signed(double score) {
        if (score == 0) {
            return "0.00";
        }
        String text = String.format(Locale.ROOT, "%.2f", Math.abs(score));
        if (text.equals("0.00")) {
            text = String.format(Locale.ROOT, "%.3f", Math.abs(score));
            if (text.equals("0.000")) {
                return score > 0 ? "just above 0" : "just below 0";
            }
        }
        return (score > 0 ? "+" : "-") + text;
    }

    /**
     * A firing's recorded values, "sentiment change -40%, conversion lift +3.5%"; a name that is not
     * a metric this version knows is shown as it came.
     */
    public static String values(Map<String, Double> values) {
        if (values.isEmpty()) {
            return "no values";
        }
        return values.entrySet().stream().map(e -> {
            if (e.getKey().equals(SENTIMENT_SCORE_DIFFERENCE) && e.getValue() != null) {
                return GuardrailMetric.SENTIMENT_CHANGE.label() + " score " + signed(e.getValue());
            }
            GuardrailMetric m = GuardrailMetric.fromWireName(e.getKey()).orElse(null);
            return m == null ? e.getKey() + " " + e.getValue() : m.label() + " " + m.format(e.getValue());
        }).collect(Collectors.joining(", "));
    }

    /** What "no harm" is compared with: control for a metric against control, else the threshold. */
    private static String reference(GuardrailMetric m, double threshold) {
        return m.againstControl() ? "control" : m.formatThreshold(threshold);
    }

    /**
     * One end of the interval in words. A sentiment change's end is missing only while the control's
     * chat may be neutral (its mean may be zero): a share of it has no bound however much chat
     * comes, so that is said rather than "yet" (docs/GUARDRAILS.md, "sentimentChange: two means").
     */
    private static String bound(GuardrailMetric m, Double value, String words) {
        if (value == null) {
            return m == GuardrailMetric.SENTIMENT_CHANGE ? "no bound as a share: control's chat may be neutral"
                    : "no bound on that side yet";
        }
        return words + " " + m.format(value);
    }

    /** Engine time as every tab of the console shows it: "05:19" for 319,000 ms. */
    public static String clock(long millis) {
        long s = Math.max(0, millis / 1000);
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
