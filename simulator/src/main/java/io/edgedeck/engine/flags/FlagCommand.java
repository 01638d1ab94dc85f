package io.edgedeck.engine.flags;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Every mutation of a {@link FlagRegistry} as data. The registry's mutators build one of these
 * and apply it; listeners receive it with its audit entry, so the engine journals exactly the
 * commands that took effect and rebuilds the registry by {@link FlagRegistry#apply applying} them
 * again in order. Each carries its virtual time: nothing in the registry reads a clock.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "command")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FlagCommand.Create.class, name = "create"),
        @JsonSubTypes.Type(value = FlagCommand.Change.class, name = "change"),
        @JsonSubTypes.Type(value = FlagCommand.Kill.class, name = "kill"),
        @JsonSubTypes.Type(value = FlagCommand.Unkill.class, name = "unkill"),
        @JsonSubTypes.Type(value = FlagCommand.Rollback.class, name = "rollback"),
})
public sealed interface FlagCommand {

    String key();

    String operator();

    String reason();

    long atMillis();

    record Create(FlagDefinition definition, String operator, String reason, long atMillis) implements FlagCommand {
        @Override
        @JsonIgnore
        public String key() {
            return definition.key();
        }
    }

    record Change(String key, long expectedVersion, FlagUpdate update, String operator, String reason,
                  long atMillis) implements FlagCommand {
    }

    record Kill(String key, String operator, String reason, long atMillis) implements FlagCommand {
    }

    record Unkill(String key, String operator, String reason, long atMillis) implements FlagCommand {
    }

    /** Moves all of {@code variantName}'s weight to the control variant. */
    record Rollback(String key, String variantName, String operator, String reason, long atMillis)
            implements FlagCommand {
    }
}
