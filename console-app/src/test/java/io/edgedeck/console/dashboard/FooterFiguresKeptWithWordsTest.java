package io.edgedeck.console.dashboard;

import io.edgedeck.client.model.ChatMetrics;
import io.edgedeck.client.model.VariantMetrics;
import io.edgedeck.console.Frames;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A show tile's footer too long for its tile wraps, and a producer reads it across a room: it may break between its
 * parts (" · "), never inside one, so no figure ("+32%", ":fire:") sits alone on a line apart from its words.
 */
class FooterFiguresKeptWithWordsTest {
    /** The footer's parts, split only where a line may break: at an ordinary space. */
    private static List<String> breakable(String footer) {
        return List.of(footer.split(" "));
    }

    @Test
    void aVariantFooterKeepsTheChatFigureWithItsWords() {
        ChatMetrics chat = new ChatMetrics(900, 120, 1.2, 32, 0.3, List.of(":fire:"));
        String detail = ConversionTilesViewModel.detail(
                new VariantMetrics("checkout-button", "control", true, 9434, 373, 900, 0.3, chat, 0, 0, 0, null));
        assertEquals("373 conversions · 9,434 exposures · chat net +32%", detail.replace('\u00A0', ' '));
        assertEquals(List.of("373", "conversions", "·", "9,434", "exposures", "·", "chat\u00A0net\u00A0+32%"), breakable(detail));
        String quiet = ConversionTilesViewModel.detail(new VariantMetrics("f", "treatment", false, 1, 1, 0, 0));
        assertEquals(List.of("1", "conversion", "·", "1", "exposure"), breakable(quiet));
    }

    @Test
    void theReactionFooterBreaksOnlyBetweenTheSpikeAndTheTopEmotes() {
        ShowTilesViewModel vm = new ShowTilesViewModel();
        vm.apply(Frames.frame(0, null, null, new ChatMetrics(100, 60, 2.5, 40, 0.4, List.of(":joy:", ":heart_eyes:", ":fire:")),
                null, null, null, null));
        assertEquals(List.of("spike\u00A0×2.5", "·", "top\u00A0:joy:\u00A0:heart_eyes:\u00A0:fire:"),
                breakable(vm.chat().reactionDetailProperty().get()));
    }
}
