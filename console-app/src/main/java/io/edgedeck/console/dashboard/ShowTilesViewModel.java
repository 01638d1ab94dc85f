package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import io.edgedeck.client.stats.Estimate;
import io.edgedeck.client.stats.RateRatio;

import java.util.Locale;
import java.util.Map;

/**
 * The show-wide tiles above the PoP wall: conversion per variant with lift against control, chat
 * sentiment with its trend, the reaction index, throughput and delivery, and degraded PoPs with
 * queue depth. Fed one frame at a time on the FX thread; knows nothing of nodes.
 */
public final class ShowTilesViewModel {
    /**
     * Each end of the lift's interval holds with probability at least 1 - this, at every moment at
     * once (an anytime-valid bound: watching the tile does not inflate it).
     */
    static final double LIFT_ALPHA = 0.05;

    /** How far back the sentiment trend looks, in engine time. */
    static final long TREND_MILLIS = 30_000;
    /** A change in mean score smaller than this is "steady", not a trend. */
    static final double TREND_DEADBAND = 0.03;
    /** Net sentiment within this many points of zero is neutral (amber); beyond it, positive (green) or negative (red). */
    public static final double NEUTRAL_NET = 10;

    /** One variant's conversion tile. */
    public static final class VariantTile {
        private final String flag;
        private final String variant;
        private final ReadOnlyDoubleWrapper ratePercent = new ReadOnlyDoubleWrapper(this, "ratePercent");
        private final ReadOnlyStringWrapper lift = new ReadOnlyStringWrapper(this, "lift", "");
        private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
        private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.OK);
        private final ReadOnlyStringWrapper action = new ReadOnlyStringWrapper(this, "action", "");
        private EdgeActionsViewModel.Kind actionKind;

        VariantTile(String flag, String variant) {
            this.flag = flag;
            this.variant = variant;
        }

        public String key() {
            return flag + "/" + variant;
        }

        public String title() {
            return flag + " · " + variant;
        }

        public ReadOnlyDoubleProperty ratePercentProperty() {
            return ratePercent.getReadOnlyProperty();
        }

        /** "lift +4.1% vs control", or "control (baseline)". */
        public ReadOnlyStringProperty liftProperty() {
            return lift.getReadOnlyProperty();
        }

        public ReadOnlyStringProperty detailProperty() {
            return detail.getReadOnlyProperty();
        }

        public ReadOnlyObjectProperty<Status> statusProperty() {
            return status.getReadOnlyProperty();
        }

        public String flag() {
            return flag;
        }

        public String variant() {
            return variant;
        }

        /**
         * "rolled back at 05:21 by sentiment-guard" until the operator acknowledges it, else empty:
         * while it is set the tile says this instead of its lift.
         */
        public ReadOnlyStringProperty actionProperty() {
            return action.getReadOnlyProperty();
        }

        /** The colour the tile shows: an unacknowledged rollback or kill red, a pause amber, else its status. */
        public Status shownStatus() {
            if (actionKind == null || status.get() == Status.STALE) {
                return status.get();
            }
            return actionKind == EdgeActionsViewModel.Kind.PAUSED ? Status.WARN : Status.BAD;
        }
    }

    private final EdgeActionsViewModel actions;
    private final ObservableList<VariantTile> variants = FXCollections.observableArrayList();
    private final ObservableList<VariantTile> readOnlyVariants = FXCollections.unmodifiableObservableList(variants);
    private final Map<String, VariantTile> variantsByKey = new HashMap<>();
    private final ArrayDeque<double[]> sentimentHistory = new ArrayDeque<>();

    private final ReadOnlyDoubleWrapper netSentiment = new ReadOnlyDoubleWrapper(this, "netSentiment");
    private final ReadOnlyStringWrapper sentimentDetail = new ReadOnlyStringWrapper(this, "sentimentDetail", "");
    private final ReadOnlyStringWrapper sentimentCoverage = new ReadOnlyStringWrapper(this, "sentimentCoverage", "");
    private final ReadOnlyStringWrapper sentimentTitle = new ReadOnlyStringWrapper(this, "sentimentTitle", "Chat sentiment");
    private final ReadOnlyStringWrapper sentimentTrend = new ReadOnlyStringWrapper(this, "sentimentTrend", "steady");
    private final ReadOnlyObjectWrapper<Status> sentimentStatus = new ReadOnlyObjectWrapper<>(this, "sentimentStatus", Status.OK);
    private final ReadOnlyDoubleWrapper messagesPerMinute = new ReadOnlyDoubleWrapper(this, "messagesPerMinute");
    private final ReadOnlyStringWrapper reactionDetail = new ReadOnlyStringWrapper(this, "reactionDetail", "");
    private final ReadOnlyObjectWrapper<Status> reactionStatus = new ReadOnlyObjectWrapper<>(this, "reactionStatus", Status.OK);
    private final ReadOnlyDoubleWrapper throughputRps = new ReadOnlyDoubleWrapper(this, "throughputRps");
    private final ReadOnlyStringWrapper deliveryDetail = new ReadOnlyStringWrapper(this, "deliveryDetail", "");
    private final ReadOnlyObjectWrapper<Status> deliveryStatus = new ReadOnlyObjectWrapper<>(this, "deliveryStatus", Status.OK);
    private final ReadOnlyDoubleWrapper degradedPops = new ReadOnlyDoubleWrapper(this, "degradedPops");
    private final ReadOnlyStringWrapper degradedDetail = new ReadOnlyStringWrapper(this, "degradedDetail", "");
    private final ReadOnlyObjectWrapper<Status> degradedStatus = new ReadOnlyObjectWrapper<>(this, "degradedStatus", Status.OK);
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ReadOnlyStringWrapper staleText = new ReadOnlyStringWrapper(this, "staleText", "");

    public ShowTilesViewModel() {
        this(new EdgeActionsViewModel());
    }

    /** @param actions what changed variants at the edge; the variant tiles say so until acknowledged */
    public ShowTilesViewModel(EdgeActionsViewModel actions) {
        this.actions = actions;
        // Both live as long as the dashboard: the listener needs no removal.
        actions.revisionProperty().addListener((obs, old, now) -> {
            showActions();
            revision.set(revision.get() + 1);
        });
    }

    /** Applies one frame. FX thread. */
    public void apply(MetricsFrame frame) {
        staleText.set("");
        applyVariants(frame.variants());
        showActions();
        applyChat(frame.engineMillis(), frame.chat());
        applyDelivery(frame);
        applyDegraded(frame.pops());
        revision.set(revision.get() + 1);
    }

    /** Forgets per-show history when a new show starts. FX thread. */
    public void reset() {
        sentimentHistory.clear();
        variants.clear();
        variantsByKey.clear();
    }

    private void applyVariants(List<VariantMetrics> metrics) {
        Map<String, VariantMetrics> controls = new HashMap<>();
        for (VariantMetrics v : metrics) {
            if (v.control()) {
                controls.put(v.flag(), v);
            }
        }
        for (VariantMetrics v : metrics) {
            VariantTile tile = variantsByKey.get(v.flag() + "/" + v.variant());
            if (tile == null) {
                tile = new VariantTile(v.flag(), v.variant());
                variantsByKey.put(tile.key(), tile);
                variants.add(tile);
            }
            tile.ratePercent.set(v.conversionRate() * 100);
            String counts = v.chat().messagesPerMinute() > 0
                    ? String.format(Locale.ROOT, "%,d of %,d converted · chat net %+.0f%%", v.conversions(), v.exposures(),
                    v.chat().netSentiment())
                    : String.format(Locale.ROOT, "%,d conversions of %,d exposures", v.conversions(), v.exposures());
            // sessions a rollback moved here are their own cohort: shown apart, never in the rate above
            tile.detail.set(v.movedIn() == 0 ? counts
                    : counts + String.format(Locale.ROOT, " · moved in by a flag change: %,d (%,d converted)", v.movedIn(),
                    v.movedConversions()));
            VariantMetrics control = controls.get(v.flag());
            if (v.control()) {
                tile.lift.set("control (baseline)");
                tile.status.set(Status.OK);
            } else if (control == null || control.exposures() == 0 || control.conversionRate() == 0 || v.exposures() == 0) {
                tile.lift.set("lift: not enough data yet");
                tile.status.set(Status.STALE);
            } else {
                double lift = lift(v.conversionRate(), control.conversionRate());
                // Coloured only when the guardrails' own interval on the ratio of rates excludes "no
                // difference"; until then the number is shown neutral with how much data there is.
                Estimate ratio = RateRatio.of(v.conversions(), control.conversions(), v.exposures(), control.exposures(),
                        LIFT_ALPHA);
                boolean worse = ratio.upper() < 1;
                boolean better = ratio.lower() > 1;
                if (worse || better) {
                    tile.lift.set(String.format(Locale.ROOT, "lift %+.1f%% vs control", lift * 100));
                    tile.status.set(better ? Status.OK : lift < -0.05 ? Status.BAD : Status.WARN);
                } else {
                    tile.lift.set(String.format(Locale.ROOT, "lift %+.1f%% · not clear yet (n = %,d)", lift * 100,
                            Math.min(v.exposures(), control.exposures())));
                    tile.status.set(Status.NEUTRAL);
                }
            }
        }
    }

    /** What a net sentiment means, the colour the gauge gives it: negative red, neutral amber, positive green. */
    public static Status sentimentBand(double netPercent) {
        return netPercent <= -NEUTRAL_NET ? Status.BAD : netPercent < NEUTRAL_NET ? Status.WARN : Status.OK;
    }

    /**
     * Greys every show tile: frames stopped, so none of these numbers is known to be current. The
     * next frame applied colours them again. FX thread.
     */
    public void markStale(long seconds) {
        staleText.set("stale for " + seconds + " s");
        sentimentStatus.set(Status.STALE);
        reactionStatus.set(Status.STALE);
        deliveryStatus.set(Status.STALE);
        degradedStatus.set(Status.STALE);
        for (VariantTile v : variants) {
            v.status.set(Status.STALE);
        }
        revision.set(revision.get() + 1);
    }

    private void showActions() {
        for (VariantTile v : variants) {
            var a = actions.unacknowledged(v.flag, v.variant);
            v.actionKind = a.map(EdgeActionsViewModel.EdgeAction::kind).orElse(null);
            v.action.set(a.map(EdgeActionsViewModel.EdgeAction::sentence).orElse(""));
        }
    }

    /** The operator has seen what happened to the variant: its tile shows its numbers again. FX thread. */
    public void acknowledge(VariantTile tile) {
        actions.acknowledge(tile.flag, tile.variant);
    }

    /** What changed variants at the edge, this show. */
    public EdgeActionsViewModel actions() {
        return actions;
    }

    /** Relative lift of a variant's conversion rate over control's. */
    static double lift(double variantRate, double controlRate) {
        return (variantRate - controlRate) / controlRate;
    }

    private void applyChat(long engineMillis, ChatMetrics chat) {
        netSentiment.set(chat.netSentiment());
        sentimentHistory.addLast(new double[]{engineMillis, chat.meanScore()});
        while (sentimentHistory.size() > 1 && sentimentHistory.peekFirst()[0] < engineMillis - TREND_MILLIS) {
            sentimentHistory.removeFirst();
        }
        double past = sentimentHistory.peekFirst()[1];
        double delta = chat.meanScore() - past;
        sentimentTrend.set(delta > TREND_DEADBAND ? "rising" : delta < -TREND_DEADBAND ? "falling" : "steady");
        sentimentDetail.set(chat.meanLow() == null || chat.meanHigh() == null
                ? String.format(Locale.ROOT, "mean %+.2f · %s over 30 s", chat.meanScore(), sentimentTrend.get())
                : String.format(Locale.ROOT, "mean %+.2f (95%% %+.2f…%+.2f) · %s", chat.meanScore(), chat.meanLow(),
                        chat.meanHigh(), sentimentTrend.get()));
        sentimentTitle.set(chat.messagesPerMinute() == 0 ? "Chat sentiment · no chat"
                : String.format(Locale.ROOT, "Chat %+.2f%s · %.0f%% signal%s", chat.meanScore(),
                        chat.meanLow() == null || chat.meanHigh() == null ? ""
                                : String.format(Locale.ROOT, "±%.2f", (chat.meanHigh() - chat.meanLow()) / 2),
                        chat.signalShare() * 100,
                        chat.otherLanguageShare() >= 0.005
                                ? String.format(Locale.ROOT, " · %.0f%% other", chat.otherLanguageShare() * 100) : ""));
        sentimentCoverage.set(chat.messagesPerMinute() == 0 ? "no chat in the last minute"
                : String.format(Locale.ROOT, "%,d scored · signal in %.0f%% · other languages %.0f%%",
                        chat.scoredMessages(), chat.signalShare() * 100, chat.otherLanguageShare() * 100));
        sentimentStatus.set(chat.messages() == 0 ? Status.STALE : sentimentBand(chat.netSentiment()));

        messagesPerMinute.set(chat.messagesPerMinute());
        List<String> emotes = chat.topEmotes().stream().limit(3).map(Emotes::asText).toList();
        reactionDetail.set(String.format(Locale.ROOT, "spike ×%.1f · %s", chat.spikeRatio(),
                emotes.isEmpty() ? "no emotes yet" : "top " + String.join(" ", emotes)));
        reactionStatus.set(chat.spikeRatio() >= 3 ? Status.WARN : Status.OK);
    }

    private void applyDelivery(MetricsFrame frame) {
        double rps = 0;
        for (PopMetrics p : frame.pops()) {
            rps += p.throughputRps();
        }
        throughputRps.set(rps);
        var e = frame.events();
        double lostShare = e.total() == 0 ? 0 : (double) e.lost() / e.total();
        deliveryDetail.set(String.format(Locale.ROOT, "delivered %,d · lost %,d (%.2f%%)", e.delivered(), e.lost(), lostShare * 100));
        deliveryStatus.set(lostShare > 0.01 ? Status.BAD : lostShare > 0.001 ? Status.WARN : Status.OK);
    }

    private void applyDegraded(List<PopMetrics> pops) {
        List<String> names = new ArrayList<>();
        long queue = 0;
        boolean down = false;
        for (PopMetrics p : pops) {
            queue += p.queueDepth();
            if (p.health() != PopHealth.UP) {
                names.add(p.id());
                down |= p.health() == PopHealth.DOWN;
            }
        }
        degradedPops.set(names.size());
        degradedDetail.set(String.format(Locale.ROOT, "of %d PoPs%s · queue %,d", pops.size(),
                names.isEmpty() ? "" : ": " + String.join(", ", names), queue));
        degradedStatus.set(down ? Status.BAD : !names.isEmpty() || queue > 0 ? Status.WARN : Status.OK);
    }

    public ObservableList<VariantTile> variants() {
        return readOnlyVariants;
    }

    public VariantTile variant(String flag, String variant) {
        return variantsByKey.get(flag + "/" + variant);
    }

    /** % positive minus % negative chat messages over the last minute, in [-100, 100]. */
    public ReadOnlyDoubleProperty netSentimentProperty() {
        return netSentiment.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sentimentDetailProperty() {
        return sentimentDetail.getReadOnlyProperty();
    }

    /** rising, falling or steady. */
    /**
     * How much of the last minute's chat the number stands on: "812 scored · signal in 64% · other
     * languages 3%" (scored: messages the scorer read; signal: messages with any sentiment-bearing
     * word, emoji or emote; other languages: counted, never scored as neutral).
     */
    public ReadOnlyStringProperty sentimentCoverageProperty() {
        return sentimentCoverage.getReadOnlyProperty();
    }

    /**
     * The sentiment tile's title, which its gauge always shows: the mean with the half-width of its
     * 95% interval, the share of messages with any sentiment signal, and the share in other
     * languages when there is any: "Chat +0.21±0.03 · 64% signal · 3% other".
     */
    public ReadOnlyStringProperty sentimentTitleProperty() {
        return sentimentTitle.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sentimentTrendProperty() {
        return sentimentTrend.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> sentimentStatusProperty() {
        return sentimentStatus.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty messagesPerMinuteProperty() {
        return messagesPerMinute.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty reactionDetailProperty() {
        return reactionDetail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> reactionStatusProperty() {
        return reactionStatus.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty throughputRpsProperty() {
        return throughputRps.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deliveryDetailProperty() {
        return deliveryDetail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> deliveryStatusProperty() {
        return deliveryStatus.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty degradedPopsProperty() {
        return degradedPops.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty degradedDetailProperty() {
        return degradedDetail.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> degradedStatusProperty() {
        return degradedStatus.getReadOnlyProperty();
    }

    /** "stale for 12 s" while frames have stopped, else empty: the tiles then show it instead of their trend. */
    public ReadOnlyStringProperty staleTextProperty() {
        return staleText.getReadOnlyProperty();
    }

    /** Increases once per applied frame, so views redraw once per frame, not once per property. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }
}
