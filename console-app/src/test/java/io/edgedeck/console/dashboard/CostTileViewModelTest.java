package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.LatencyWindow;
import io.edgedeck.client.model.PopBaseline;
import io.edgedeck.client.model.PopHealth;
import io.edgedeck.client.model.PopMetrics;
import io.edgedeck.client.model.PopValue;
import io.edgedeck.console.common.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost tile (docs/COST.md) shows what the node counted, best per unit of cost first, and only where every PoP is priced. */
class CostTileViewModelTest {

    static PopMetrics pop(String id, PopValue value) {
        return new PopMetrics(id, "eu", PopHealth.UP, new LatencyWindow(10, 500, 20, 40, 60, 80), LatencyWindow.empty(60), 3, 0,
                50, 1000, 0, 0, 0, 0, List.of(), PopBaseline.NONE, value);
    }

    @Test
    void popsAreRankedByConversionsPerUnitOfCostAndTheLastFiftyMsIsInWords() {
        CostTileViewModel vm = new CostTileViewModel();
        vm.apply(List.of(
                pop("fra", new PopValue(2.0, 100, 0, 90_000, 90, 10_000, 5)),
                pop("sin", new PopValue(4.0, 60, 0, 50_000, 60, 0, 0)),
                pop("nrt", new PopValue(0.0, 0, 0, 0, 0, 0, 0))));
        assertTrue(vm.presentProperty().get());
        List<CostTileViewModel.PopRow> rows = vm.rowsProperty().get();
        assertEquals(List.of("fra", "sin", "nrt"), rows.stream().map(CostTileViewModel.PopRow::pop).toList());
        assertEquals(50.0, rows.get(0).conversionsPerCost());
        assertEquals(15.0, rows.get(1).conversionsPerCost());
        assertNull(rows.get(2).conversionsPerCost(), "nothing spent yet: no ratio, not infinity");
        assertEquals("6.00 spent · 160 conversions", vm.headlineProperty().get());
        // fast: 150 conversions in 140,000 requests = 1.07 per 1,000; slow: 5 in 10,000 = 0.50
        assertTrue(vm.lastFiftyProperty().get().startsWith(
                "last 50 ms of p95: fast 1.07 vs slow 0.50 conversions per 1,000 requests: slow x0.47 ("), vm.lastFiftyProperty().get());
        assertEquals(Status.NEUTRAL, vm.statusProperty().get());
        vm.markStale();
        assertEquals(Status.STALE, vm.statusProperty().get());
    }

    @Test
    void aNodeWithoutPricesShowsNoTile() {
        CostTileViewModel vm = new CostTileViewModel();
        vm.apply(List.of(pop("fra", PopValue.NONE)));
        assertFalse(vm.presentProperty().get());
    }

    @Test
    void theFaceShowsTheBestTwoAndTheWorstTwoOfMany() {
        List<CostTileViewModel.PopRow> six = List.of("a", "b", "c", "d", "e", "f").stream()
                .map(id -> new CostTileViewModel.PopRow(id, 1, 1, 0, 1.0, 0.0)).toList();
        assertEquals(List.of("a", "b", "e", "f"), CostTile.shown(six).stream().map(CostTileViewModel.PopRow::pop).toList());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"950, 950", "9500, '9,500'", "29470, 29.5k", "1254000, 1.25M"})
    void revenueIsShortEnoughForTheHeadline(double amount, String shown) {
        assertEquals(shown, CostTileViewModel.compact(amount));
    }
}
