package io.edgedeck.client.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The wire name of an enum constant (its name in lower case) and the constant a wire name stands for. */
final class WireNames {
    private WireNames() {
    }

    static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming every valid name, e.g. "no schedule state 'x'; states are pending, fired" */
    static <E extends Enum<E>> E of(Class<E> type, String id, String what) {
        for (E e : type.getEnumConstants()) {
            if (id(e).equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no " + what + " state '" + id + "'; states are "
                + Arrays.stream(type.getEnumConstants()).map(WireNames::id).collect(Collectors.joining(", ")));
    }
}
