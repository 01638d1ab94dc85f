package io.edgedeck.client.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagWireRecordsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aPropagatingFlagViewRoundTripsWithItsNullPropagationTime() throws Exception {
        var view = new FlagView("checkout-button", "one-click checkout", "shop-team",
                List.of(new VariantView("on", 1000), new VariantView("off", 9000)), "off", "region:eu", 4, false,
                2, 5, null);
        String json = mapper.writeValueAsString(view);
        assertEquals(view, mapper.readValue(json, FlagView.class));
        assertTrue(mapper.readTree(json).get("fullPropagationMillis").isNull());
    }

    @Test
    void aFlagViewCarriesItsPopLocalRollbacksAndPausesAndAnOlderOneReadsAsNone() throws Exception {
        var view = new FlagView("checkout-button", "", "", List.of(new VariantView("control", 5000), new VariantView("treatment", 5000)),
                "control", "global", 2, false, 3, 3, 200L, List.of("treatment"),
                java.util.Map.of("treatment", List.of("fra", "ams")));
        String json = mapper.writeValueAsString(view);
        assertEquals("{\"treatment\":[\"ams\",\"fra\"]}", mapper.readTree(json).get("rolledBackAt").toString(), "PoPs in order");
        assertEquals(view, mapper.readValue(json, FlagView.class));
        var older = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
        older.remove(List.of("paused", "rolledBackAt"));
        FlagView read = mapper.readValue(older.toString(), FlagView.class);
        assertEquals(List.of(), read.paused());
        assertEquals(java.util.Map.of(), read.rolledBackAt());
    }

    @Test
    void anAuditEntryKeepsItsFieldNamesOnTheWire() throws Exception {
        var entry = new AuditEntry(12, 61_250, "maya", "flag.rollback", "checkout-button",
                "v3 on=10% off=90% control=off scope=global", "v4 on=0% off=100% control=off scope=global",
                "sentiment dropped 18%");
        String json = mapper.writeValueAsString(entry);
        assertEquals(List.of("sequence", "atMillis", "actor", "action", "target", "before", "after", "reason", "touched"),
                names(mapper.readTree(json).fieldNames()));
        assertEquals(entry, mapper.readValue(json, AuditEntry.class));
        var older = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
        older.remove("touched");
        assertEquals(List.of(), mapper.readValue(older.toString(), AuditEntry.class).touched(),
                "an entry from a node that did not name what it touched reads as touching its target alone");
    }

    private static List<String> names(Iterator<String> names) {
        var list = new ArrayList<String>();
        names.forEachRemaining(list::add);
        return list;
    }
}
