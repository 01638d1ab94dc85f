package io.edgedeck.console.flags;

import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.VariantView;
import io.edgedeck.console.Frames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagRulesTest {

    @Test
    void switchingOffSendsEveryoneToControlAndOnRestoresTheSplit() {
        FlagView ab = Frames.flag("checkout-button", 3, 5000);
        assertTrue(FlagRules.isOn(ab));
        List<VariantView> off = FlagRules.switched(ab, false, null);
        assertEquals(List.of(new VariantView("control", 10_000), new VariantView("treatment", 0)), off);
        FlagView offView = Frames.flag("checkout-button", 4, 0);
        assertFalse(FlagRules.isOn(offView));
        assertEquals(ab.variants(), FlagRules.switched(offView, true, ab.variants()));
        assertEquals(List.of(new VariantView("control", 0), new VariantView("treatment", 10_000)),
                FlagRules.switched(offView, true, null), "with nothing to restore, on means all treatment");
    }

    @Test
    void onlyControlPlusOneVariantHasASwitch() {
        assertTrue(FlagRules.switchable(Frames.flag("a", 1, 100)));
        FlagView three = new FlagView("chat-offer", "", "", List.of(new VariantView("control", 5000),
                new VariantView("urgent", 2500), new VariantView("friendly", 2500)), "control", "global", 1, false, 1, 1, null);
        assertFalse(FlagRules.switchable(three));
        assertEquals("control 50% · urgent 25% · friendly 25%", FlagRules.describe(three.variants()));
        assertEquals("live at 1/2 PoPs", FlagRules.propagation(new FlagView("a", "", "", three.variants(), "control",
                "global", 2, false, 1, 2, null)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "50 | 25 | 25 | ",
            "50% | 25.5 | 24.5 | ",
            "50 | 25 | 20 | add up to 95.00%",
            "50 | x | 50 | 'x' is not a percentage",
            "150 | -25 | -25 | between 0 and 100",
            // Double.parseDouble takes these; a person typing them made a mistake (NaN would be 0%, and sent)
            "NaN | 50 | 50 | 'NaN' is not a percentage",
            "50f | 25 | 25 | '50f' is not a percentage",
            "0x1p6 | 18 | 18 | '0x1p6' is not a percentage",
            "Infinity | 0 | 0 | 'Infinity' is not a percentage",
            "1e2 | 0 | 0 | '1e2' is not a percentage",
            "50. | .5 | 49.5 | ",
    })
    void percentagesBecomeBasisPoints(String a, String b, String c, String error) {
        List<String> names = List.of("control", "urgent", "friendly");
        if (error == null) {
            List<VariantView> w = FlagRules.fromPercents(names, List.of(a, b, c));
            assertEquals(10_000, w.stream().mapToInt(VariantView::weight).sum());
        } else {
            var e = assertThrows(IllegalArgumentException.class, () -> FlagRules.fromPercents(names, List.of(a, b, c)));
            assertTrue(e.getMessage().contains(error), e.getMessage());
        }
    }

    @Test
    void theAuditSaysWhatAKillOrAReweightChangedBeforeTheWholeOfIt() {
        String before = "v5 control=60% treatment=40% control=control scope=global";
        assertEquals("→ killed", FlagRules.whatChanged(before, "v6 control=60% treatment=40% control=control scope=global killed"));
        assertEquals("control=60% treatment=40% → control=50% treatment=50%",
                FlagRules.whatChanged(before, "v6 control=50% treatment=50% control=control scope=global"));
        assertEquals("", FlagRules.whatChanged(before, "v6 control=60% treatment=40% control=control scope=global"));
        assertEquals("→ killed\n" + before + " → v6 control=60% treatment=40% control=control scope=global killed",
                FlagsView.auditChange(before, "v6 control=60% treatment=40% control=control scope=global killed"));
    }

    @Test
    void aChangeOfEveryWordIsSaidOnceNotTwice() {
        // a guardrail's rollback and a setting made at start change the whole value: the summary is the whole
        assertEquals("serving → rollback", FlagsView.auditChange("serving", "rollback"));
        assertEquals("none → main", FlagsView.auditChange("none", "main"));
        assertEquals("none → 3 of chat, hover within 60s", FlagsView.auditChange("none", "3 of chat, hover within 60s"));
    }

    @Test
    void aFlagAndItsVariantBreakBetweenThemNotInsideAWord() {
        // the Target column wraps at a space: "checkout-redesign/treatment" broke as "treat" / "ment"
        assertEquals("checkout-redesign / treatment", FlagsView.auditTarget("checkout-redesign/treatment"));
        assertEquals("tenants", FlagsView.auditTarget("tenants"));
    }

    @Test
    void theSwitchColumnSaysATreatmentAtNoneServesControlNotThatTheFlagIsOffOrKilled() {
        assertEquals("treatment 50%", FlagRules.switchNote(Frames.flag("checkout-button", 3, 5000)));
        FlagView rolledBack = Frames.flag("checkout-button", 8, 0);
        assertEquals("treatment 0%: control only", FlagRules.switchNote(rolledBack));
        assertEquals("killed: control everywhere", FlagRules.switchNote(new FlagView("checkout-button", "a test flag", "qa",
                rolledBack.variants(), "control", "global", 9, true, 6, 6, 200L)));
    }
}
