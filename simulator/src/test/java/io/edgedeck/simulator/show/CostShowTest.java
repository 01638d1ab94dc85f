package io.edgedeck.simulator.show;

import io.edgedeck.engine.journal.MemoryJournal;
import io.edgedeck.engine.pops.PopCost;
import io.edgedeck.simulator.report.Reports;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.scenario.Audience;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.scenario.ScenarioValidationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversion per unit of cost per PoP (docs/COST.md), on docs/scenarios/cost-storm.json: jitter-storm with prices. */
class CostShowTest {
    private static final Path COST_STORM = Path.of("..", "docs", "scenarios", "cost-storm.json");

    private static RunReport play(io.edgedeck.simulator.scenario.Scenario scenario, int seconds) {
        Show show = new Show(new ShowDefinition(scenario, scenario.seed()), new MemoryJournal());
        while (!show.finished() && show.core().nowMillis() < seconds * 1000L) {
            show.step();
        }
        return Reports.of(show, 1);
    }

    @Test
    void eachPopsCostIsItsHoursAndRequestsAtItsPricesAndEveryConversionIsCountedAtOnePop() throws Exception {
        var scenario = ScenarioParser.parse(COST_STORM);
        RunReport r = play(scenario, 420);
        RunReport.Costs c = r.costs();
        long seconds = r.simulatedSeconds();
        double total = 0;
        for (int i = 0; i < c.pops().size(); i++) {
            RunReport.PopCost p = c.pops().get(i);
            PopCost price = scenario.pops().get(i).cost();
            long requests = r.pops().get(i).requests();
            double expected = price.perHour() * seconds / 3600.0 + price.perMillionRequests() * requests / 1e6;
            assertEquals(expected, p.cost(), 0.002, p.id() + " " + price + " " + requests + " requests, " + seconds + " s");
            // the report rounds the cost to 3 decimals: a relative tolerance
            assertEquals(p.conversions() / p.cost(), p.conversionsPerCost(), 0.005 * p.conversionsPerCost(), p.id());
            assertEquals(p.revenue() / p.cost(), p.revenuePerCost(), 0.005 * p.revenuePerCost(), p.id());
            total += p.cost();
        }
        assertEquals(total, c.cost(), 0.01);
        // cost-storm's orders: log-normal, median 38 and 90th percentile 95, so a mean of about 49 an order
        Audience.OrderValue orders = scenario.audience().orderValue();
        double mean = Math.exp(orders.mu() + orders.sigma() * orders.sigma() / 2);
        assertEquals(49.0, mean, 0.5);
        assertEquals(mean, c.revenue() / c.conversions(), 0.15 * mean, c.revenue() + " over " + c.conversions() + " conversions");
        assertEquals(c.revenue(), c.pops().stream().mapToDouble(RunReport.PopCost::revenue).sum(), 0.05 * c.pops().size());
        // one flag: each conversion counts once for its variant (or the moved cohort) and once at its home PoP
        long byVariant = r.variants().stream().mapToLong(v -> v.conversions() + v.movedConversions()).sum();
        assertEquals(byVariant, c.conversions());
        assertEquals(byVariant, c.pops().stream().mapToLong(RunReport.PopCost::conversions).sum());
        // fra's storm (from 240 s) puts its seconds 50 ms and more over its normal: the slow band
        RunReport.LastFiftyMs bands = c.lastFiftyMs();
        assertTrue(bands.slowRequests() > 0 && bands.fastRequests() > bands.slowRequests(), bands.toString());
        assertTrue(bands.fastConversions() > 0, bands.toString());
        String summary = Reports.summary(r);
        assertTrue(summary.contains("last 50 ms of p95: "), summary);
        assertTrue(summary.contains("  fra "), summary);
    }

    @Test
    void aShowWithoutPricesReportsNoCostsAndItsReportIsUnchanged() {
        RunReport r = play(ScenarioCatalog.load("jitter-storm"), 30);
        assertNull(r.costs());
        assertTrue(!Reports.toJson(r).contains("\"costs\""), "no costs field at all");
    }

    @Test
    void aPopWithoutACostWhereOthersHaveOneIsRefusedByName() throws Exception {
        String text = Files.readString(COST_STORM);
        int at = text.indexOf("\"cost\"", text.indexOf("\"id\": \"ams\""));
        int end = text.indexOf('}', at) + 1;
        String withoutAms = text.substring(0, at) + "\"unused\": null" + text.substring(end);
        // drop the placeholder field along with its comma
        withoutAms = withoutAms.replace(",\n      \"unused\": null", "");
        String document = withoutAms;
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(document));
        assertTrue(e.errors().stream().anyMatch(err -> err.path().equals("$.pops[1].cost")
                        && err.message().contains("PoP 'ams' has no cost, but fra, iad, ord, sin, nrt do")),
                e.getMessage());
    }

    @Test
    void aNegativePriceIsRefusedWithItsField() throws Exception {
        String document = Files.readString(COST_STORM).replaceFirst("\"perHour\": 0.9", "\"perHour\": -0.9");
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(document));
        assertTrue(e.errors().stream().anyMatch(err -> err.path().equals("$.pops[0].cost.perHour")), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PopCost(1, -0.01), "perMillionRequests");
    }

    @Test
    void orderValuesComeFromAStreamOfTheirOwnSoTheShowIsOtherwiseTheSame() throws Exception {
        var priced = ScenarioParser.parse(COST_STORM);
        var a = priced.audience();
        var unpriced = new io.edgedeck.simulator.scenario.Scenario(priced.name(), priced.description(), priced.seed(),
                priced.durationSeconds(), priced.frameMillis(), priced.pops(), priced.regions(),
                new Audience(a.stages(), a.startRate(), a.tenants(), a.session(), a.chat(), null), priced.flags(),
                priced.triggers(), priced.guardrails(), priced.cues(), priced.approvals(), priced.playbooks());
        RunReport with = play(priced, 120);
        RunReport without = play(unpriced, 120);
        assertEquals(without.costs().conversions(), with.costs().conversions());
        assertEquals(without.variants(), with.variants());
        assertEquals(0, without.costs().revenue());
        assertTrue(with.costs().revenue() > 0, with.costs().toString());
    }

    @Test
    void aP90BelowTheMedianIsRefusedByName() throws Exception {
        String document = Files.readString(COST_STORM).replace("\"p90\": 95.0", "\"p90\": 20.0");
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> ScenarioParser.parseText(document));
        assertTrue(e.errors().stream().anyMatch(err -> err.path().equals("$.audience.orderValue.p90")
                && err.message().equals("must be at least the median (38.0), was 20.0")), e.getMessage());
    }
}
