package io.edgedeck.engine.journal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Copies a {@link JournalRecord.PlacedOnIngest} record with its last component, {@code ingestApplied},
 * set: through the kind's canonical constructor, found once per kind, so that the copy is made the
 * way the record itself is (its compact constructor's copies of lists and maps included).
 */
final class IngestPlacing {
    private IngestPlacing() {
    }

    private record Kind(Method[] accessors, Constructor<?> canonical) {
    }

    private static final ClassValue<Kind> KINDS = new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            RecordComponent last = components == null || components.length == 0 ? null : components[components.length - 1];
            if (last == null || !last.getName().equals("ingestApplied") || last.getType() != Long.class) {
                throw new IllegalStateException(type.getName() + " is placed on the ingest log but its last component is not Long ingestApplied");
            }
            try {
                Constructor<?> canonical = type.getDeclaredConstructor(
                        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
                return new Kind(Arrays.stream(components).map(RecordComponent::getAccessor).toArray(Method[]::new), canonical);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
            }
        }
    };

    static JournalRecord with(JournalRecord.PlacedOnIngest record, long applied) {
        Kind kind = KINDS.get(record.getClass());
        Object[] values = new Object[kind.accessors().length];
        try {
            for (int i = 0; i < values.length - 1; i++) {
                values[i] = kind.accessors()[i].invoke(record);
            }
            values[values.length - 1] = applied;
            return (JournalRecord) kind.canonical().newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
