package io.edgedeck.console.rehearsal;

import io.edgedeck.client.model.CueRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CueFormViewModelTest {

    @Test
    void aFieldThatDoesNotReadIsNamedAndNoCueIsMade() {
        CueFormViewModel form = new CueFormViewModel();
        form.durationProperty().set("half a minute");
        assertEquals(new CueFormViewModel.Reading.Invalid("The duration must be a whole number of seconds."), form.read("ana"));
        form.durationProperty().set("30");
        form.typeProperty().set("loss");
        form.magnitudeProperty().set("some");
        assertEquals(new CueFormViewModel.Reading.Invalid("The magnitude must be a number (share lost, 0 to 1)."), form.read("ana"));
        form.typeProperty().set("sentiment-shift");
        assertEquals(new CueFormViewModel.Reading.Invalid("This show has no variant to turn sour."), form.read("ana"));
        form.typeProperty().set("pop-outage");
        assertEquals(new CueFormViewModel.Reading.Invalid("Pick a PoP."), form.read("ana"));
    }

    /** The rows the form shows and lays out for each cue: a PoP for a fault at one, a variant for a shift in mood. */
    @Test
    void eachCueUsesThePopOrVariantRowItNeeds() {
        assertEquals(java.util.Set.of(CueFormViewModel.Row.POP), CueFormViewModel.rowsUsed("jitter-storm"));
        assertEquals(java.util.Set.of(CueFormViewModel.Row.POP), CueFormViewModel.rowsUsed("pop-outage"));
        assertEquals(java.util.Set.of(CueFormViewModel.Row.VARIANT), CueFormViewModel.rowsUsed("sentiment-shift"));
        assertEquals(java.util.Set.of(), CueFormViewModel.rowsUsed("traffic-surge"));
        assertEquals(java.util.Set.of(), CueFormViewModel.rowsUsed("encoder-bitrate"));
        assertEquals(java.util.Set.of(), CueFormViewModel.rowsUsed(null));
    }

    @Test
    void aSurgeHitsEveryoneAndASentimentShiftNamesItsVariant() {
        CueFormViewModel form = new CueFormViewModel();
        form.typeProperty().set("traffic-surge");
        form.durationProperty().set("20");
        var surge = assertInstanceOf(CueFormViewModel.Reading.Ready.class, form.read("ana"));
        assertEquals(new CueRequest("traffic-surge", List.of(), 3, 20, null, null, "ana"), surge.cue());
        assertEquals("Fired traffic-surge at everyone for 20 s.", surge.done());
        form.typeProperty().set("sentiment-shift");
        form.variantProperty().set("offer-banner / treatment");
        var shift = assertInstanceOf(CueFormViewModel.Reading.Ready.class, form.read("ana"));
        assertEquals(new CueRequest("sentiment-shift", List.of(), 0, 20, "offer-banner", "treatment", "ana"), shift.cue());
    }

    @Test
    void anEncoderFaultHitsTheEncoderWithNoPop() {
        CueFormViewModel form = new CueFormViewModel();
        form.typeProperty().set("encoder-frame-drop");
        form.durationProperty().set("45");
        var frames = assertInstanceOf(CueFormViewModel.Reading.Ready.class, form.read("ana"));
        assertEquals(new CueRequest("encoder-frame-drop", List.of(), 8, 45, null, null, "ana"), frames.cue());
        assertEquals("Fired encoder-frame-drop at the encoder for 45 s.", frames.done());
        form.typeProperty().set("encoder-drop");
        assertEquals(CueFormViewModel.NOT_USED, CueFormViewModel.magnitudeUnit("encoder-drop"));
        var drop = assertInstanceOf(CueFormViewModel.Reading.Ready.class, form.read("ana"));
        assertEquals(new CueRequest("encoder-drop", List.of(), 0, 45, null, null, "ana"), drop.cue());
        form.typeProperty().set("encoder-bitrate");
        form.magnitudeProperty().set("lots");
        assertEquals(new CueFormViewModel.Reading.Invalid("The magnitude must be a number (kb/s it falls to, under 6000)."),
                form.read("ana"));
    }

    @Test
    void theLagFaultsAreOfferedWithTheirSizes() {
        CueFormViewModel form = new CueFormViewModel();
        assertTrue(CueFormViewModel.TYPES.containsAll(List.of("encoder-encoding-lag", "encoder-rendering-lag")));
        form.typeProperty().set("encoder-encoding-lag");
        form.durationProperty().set("30");
        var skipped = assertInstanceOf(CueFormViewModel.Reading.Ready.class, form.read("ana"));
        assertEquals(new CueRequest("encoder-encoding-lag", List.of(), 10, 30, null, null, "ana"), skipped.cue());
        assertEquals("% of frames the encoder skips", CueFormViewModel.magnitudeUnit("encoder-encoding-lag"));
        form.typeProperty().set("encoder-rendering-lag");
        var render = assertInstanceOf(CueFormViewModel.Reading.Ready.class, form.read("ana"));
        assertEquals(new CueRequest("encoder-rendering-lag", List.of(), 25, 30, null, null, "ana"), render.cue());
        assertEquals("Fired encoder-rendering-lag at the encoder for 30 s.", render.done());
    }
}
