package io.edgedeck.engine.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.engine.sentiment.SentimentEvaluation.LabelledText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weights the build puts in the jar are exactly what training the development lines gives. */
class ChatModelFileTest {

    @Test
    void theBuiltModelIsReproducedByRetraining() {
        List<LabelledText> lines = ChatClassifier.developmentLines();
        ChatClassifier built = ChatModelFile.load().orElseThrow(
                () -> new AssertionError(ChatModelFile.RESOURCE + " is missing or was trained from other files"));
        ChatClassifier retrained = ChatClassifier.trainChosen(lines);
        assertEquals(ChatClassifier.CHOSEN, built.settings());
        assertArrayEquals(retrained.bias(), built.bias(), 0.0);
        assertArrayEquals(retrained.weights(), built.weights(), 0.0f);
    }

    @Test
    void aFileFromOtherLinesOrSettingsIsNotUsed() throws IOException {
        List<LabelledText> lines = ChatClassifier.developmentLines().subList(0, 200);
        ChatClassifier model = ChatClassifier.trainChosen(lines);
        var out = new ByteArrayOutputStream();
        long sources = ChatModelFile.sourceChecksum();
        ChatModelFile.write(model, sources, out);
        byte[] file = out.toByteArray();

        ChatClassifier read = ChatModelFile.read(new ByteArrayInputStream(file), ChatClassifier.CHOSEN, sources)
                .orElseThrow();
        assertArrayEquals(model.weights(), read.weights(), 0.0f);
        assertArrayEquals(model.bias(), read.bias(), 0.0);

        assertTrue(ChatModelFile.read(new ByteArrayInputStream(file), ChatClassifier.CHOSEN, sources + 1).isEmpty(),
                "other files");
        assertTrue(ChatModelFile.read(new ByteArrayInputStream(file), ChatClassifier.CHOSEN.withGate(0), sources).isEmpty(),
                "other settings");
        assertThrows(IOException.class, () -> ChatModelFile.read(new ByteArrayInputStream(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}),
                ChatClassifier.CHOSEN, sources));
    }
}
