package io.edgedeck.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exactly the cues a file names {@code encoder-…} act on the encoder, and so give a show one from its start. */
class CueOnEncoderTest {
    @Test
    void theEncoderCuesAreThoseNamedForIt() throws Exception {
        JsonSubTypes.Type[] types = Cue.class.getAnnotation(JsonSubTypes.class).value();
        assertEquals(Cue.class.getPermittedSubclasses().length, types.length, "every cue type has a name in a file");
        for (JsonSubTypes.Type type : types) {
            assertEquals(type.name().startsWith("encoder-"), any(type.value()).onEncoder(), type.name());
        }
    }

    /** A cue of {@code type} with zeros, empty lists and nulls. */
    private static Cue any(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Constructor<?> canonical = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                .toArray(Class<?>[]::new));
        Object[] values = Arrays.stream(components).map(c -> c.getType() == int.class ? (Object) 0
                : c.getType() == double.class ? (Object) 0.0 : c.getType() == List.class ? List.of() : null).toArray();
        return (Cue) canonical.newInstance(values);
    }
}
