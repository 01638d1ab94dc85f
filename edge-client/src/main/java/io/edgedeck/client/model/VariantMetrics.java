package io.edgedeck.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One flag variant since the show started.
 *
 * @param control       true for the flag's control variant, the baseline of lift
 * @param exposures     sessions the flag's randomisation assigned this variant
 * @param conversions   checkouts by those sessions while in this variant
 * @param chatMessages  chat messages from sessions in this variant
 * @param chatMeanScore their mean compound sentiment, in [-1, 1]
 * @param chat          the chat reaction index of sessions in this variant over the last minute
 * @param conversionValue the value (revenue) its conversions carried, summed; 0 when they carry none
 *                      (a rehearsal's simulated checkouts carry none)
 * @param movedIn       sessions a flag change (a rollback, a ramp, a kill) moved into this variant from
 *                      another after they had been exposed: their own cohort, not exposures, so a
 *                      rollback does not dip the variant's conversion rate
 * @param movedConversions checkouts by the moved cohort while in this variant
 * @param lastExposureMillis the show time (engine milliseconds, the frame's {@code engineMillis} clock) of the
 *                      variant's newest exposure, so a console that joins late can say how long it has been quiet;
 *                      null before its first exposure, or where the edge does not say (an aggregator, whose nodes'
 *                      show clocks are their own)
 */
public record VariantMetrics(String flag, String variant, boolean control, long exposures, long conversions,
                             long chatMessages, double chatMeanScore, ChatMetrics chat, double conversionValue,
                             long movedIn, long movedConversions,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Long lastExposureMillis) {
    public VariantMetrics {
        chat = chat == null ? ChatMetrics.EMPTY : chat;
    }

    /** Without the newest exposure's show time. */
    public VariantMetrics(String flag, String variant, boolean control, long exposures, long conversions,
                          long chatMessages, double chatMeanScore, ChatMetrics chat, double conversionValue,
                          long movedIn, long movedConversions) {
        this(flag, variant, control, exposures, conversions, chatMessages, chatMeanScore, chat, conversionValue, movedIn,
                movedConversions, null);
    }

    /** No moved cohort. */
    public VariantMetrics(String flag, String variant, boolean control, long exposures, long conversions,
                          long chatMessages, double chatMeanScore, ChatMetrics chat, double conversionValue) {
        this(flag, variant, control, exposures, conversions, chatMessages, chatMeanScore, chat, conversionValue, 0, 0, null);
    }

    /** Conversions without a value. */
    public VariantMetrics(String flag, String variant, boolean control, long exposures, long conversions,
                          long chatMessages, double chatMeanScore, ChatMetrics chat) {
        this(flag, variant, control, exposures, conversions, chatMessages, chatMeanScore, chat, 0, 0, 0, null);
    }

    /** Without a reaction index: for callers that only count. */
    public VariantMetrics(String flag, String variant, boolean control, long exposures, long conversions,
                          long chatMessages, double chatMeanScore) {
        this(flag, variant, control, exposures, conversions, chatMessages, chatMeanScore, ChatMetrics.EMPTY, 0, 0, 0, null);
    }

    public double conversionRate() {
        return exposures == 0 ? 0 : (double) conversions / exposures;
    }
}
