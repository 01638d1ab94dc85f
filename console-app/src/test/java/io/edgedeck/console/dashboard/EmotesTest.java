package io.edgedeck.console.dashboard;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmotesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "🔥 | :fire:",
            "🔥🔥🔥 | :fire::fire::fire:",
            "❤️ | :heart:",
            "💯 | :100:",
            "🤮 | :vomit:",
            "🦩 | :flamingo:",
            "KEKW | KEKW",
            "Pog | Pog",
            "1 | 1",
            "ü | ü",
    })
    void emojiBecomeTheirShortNamesAndTextEmotesStay(String emote, String shown) {
        assertEquals(shown, Emotes.asText(emote));
    }
}
