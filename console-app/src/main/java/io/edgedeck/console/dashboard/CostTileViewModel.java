package io.edgedeck.console.dashboard;

import io.edgedeck.client.cost.LastFiftyMs;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopValue;
import io.edgedeck.console.common.Status;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The cost tile (docs/COST.md): per PoP what it has cost so far, its sessions' conversions and
 * revenue, and both per unit of cost, best first; and what the last 50 ms of p95 bought. All of it
 * is counted by the node ({@link PopValue}); shown only when the node's configuration prices every
 * PoP. Informational, so neutral, grey when frames stop. FX thread; knows nothing of nodes.
 */
public final class CostTileViewModel {
    /** One PoP's row. {@code conversionsPerCost} and {@code revenuePerCost} are null while it has cost nothing. */
    public record PopRow(String pop, double cost, long conversions, double revenue, Double conversionsPerCost,
                         Double revenuePerCost) {
    }

    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(this, "present", false);
    private final ReadOnlyObjectWrapper<List<PopRow>> rows = new ReadOnlyObjectWrapper<>(this, "rows", List.of());
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper(this, "headline", "");
    private final ReadOnlyStringWrapper lastFifty = new ReadOnlyStringWrapper(this, "lastFifty", "");
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.NEUTRAL);

    CostTileViewModel() {
    }

    void apply(List<PopMetrics> pops) {
        boolean priced = !pops.isEmpty() && pops.stream().allMatch(p -> p.value().cost() != null);
        present.set(priced);
        if (!priced) {
            return;
        }
        List<PopRow> next = new ArrayList<>(pops.size());
        double cost = 0;
        long conversions = 0;
        double revenue = 0;
        for (PopMetrics p : pops) {
            PopValue v = p.value();
            next.add(new PopRow(p.id(), v.cost(), v.conversions(), v.revenue(), v.conversionsPerCost(), v.revenuePerCost()));
            cost += v.cost();
            conversions += v.conversions();
            revenue += v.revenue();
        }
        next.sort(Comparator.comparing((PopRow r) -> r.conversionsPerCost() == null ? Double.NEGATIVE_INFINITY
                : r.conversionsPerCost()).reversed());
        rows.set(List.copyOf(next));
        // with revenue the line is shorter so the tile shows it whole: "0.68 spent · 613 conv · 29.5k rev"
        headline.set(revenue > 0
                ? String.format(Locale.ROOT, "%,.2f spent · %,d conv · %s rev", cost, conversions, compact(revenue))
                : String.format(Locale.ROOT, "%,.2f spent · %,d conversions", cost, conversions));
        lastFifty.set("last 50 ms of p95: " + LastFiftyMs.of(pops).text());
        status.set(Status.NEUTRAL);
    }

    void markStale() {
        status.set(Status.STALE);
    }

    void reset() {
        present.set(false);
        rows.set(List.of());
    }

    /** True while frames say every PoP has a cost: only then is the tile shown. */
    public ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    /** Every PoP, the most conversions per unit of cost first. */
    public ReadOnlyObjectProperty<List<PopRow>> rowsProperty() {
        return rows.getReadOnlyProperty();
    }

    /** An amount in at most five characters or so: 950, 9,500, 29.5k, 1.25M. */
    static String compact(double amount) {
        if (amount >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", amount / 1_000_000);
        }
        if (amount >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", amount / 1_000);
        }
        return String.format(Locale.ROOT, "%,.0f", amount);
    }

    /** "1.23 spent · 456 conversions", or "0.68 spent · 613 conv · 29.5k rev" when conversions carry a value. */
    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    /** "last 50 ms of p95: fast 1.23 vs slow 0.98 conversions per 1,000 requests: slow x0.80 (0.61 to 1.04)". */
    public ReadOnlyStringProperty lastFiftyProperty() {
        return lastFifty.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }
}
