package io.edgedeck.engine.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedeck.client.model.AuditEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlagRegistryTest {
    static final String OPERATOR = "maya";
    static final String REASON = "ramp for the evening show";

    static FlagRegistry newRegistry() {
        return new FlagRegistry(Set.of("eu", "us"), Map.of("fra", 100L, "ams", 250L, "iad", 400L));
    }

    static FlagDefinition checkoutButton(int onWeight) {
        return FlagDefinition.booleanFlag("checkout-button", "one-click checkout under the player", "shop-team",
                onWeight, Scope.GLOBAL, "2026-spring", 42L);
    }

    static FlagDefinition threeWay() {
        return new FlagDefinition("stage-layout", "stage layouts", "ops",
                List.of(new Variant("compact", 1000), new Variant("wide", 4000), new Variant("classic", 5000)),
                "classic", Scope.GLOBAL, "s1", 99, false, 7L);
    }

    /**
     * A boolean flag that a journaled change made a string flag (replayed as it was) may be changed
     * back to on and off, its declared type, and keep its weights changed meanwhile; not the other way.
     */
    @Test
    void aFlagAnOlderChangeLeftOfAnotherTypeMayGoBackToItsDeclaredType() {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        registry.apply(new FlagCommand.Change("checkout-button", 1, FlagUpdate.weights(List.of(new Variant("on", 1000),
                new Variant("off", 9000), new Variant("new", 0))), OPERATOR, "journaled before types were kept", 1_000));
        registry.change("checkout-button", 2, FlagUpdate.weights(List.of(new Variant("on", 500), new Variant("off", 9000),
                new Variant("new", 500))), OPERATOR, "a string flag for now", 2_000);
        assertEquals(4, registry.change("checkout-button", 3, FlagUpdate.rollout(1000), OPERATOR, "boolean again", 3_000).version());
        var e = assertThrows(FlagInUseException.class, () -> registry.change("checkout-button", 4, FlagUpdate.weights(
                List.of(new Variant("on", 1000), new Variant("off", 9000), new Variant("new", 0))), OPERATOR, "again", 4_000));
        assertEquals("variants", e.field());

        registry.create(threeWay(), OPERATOR, REASON, 5_000);
        var toBoolean = assertThrows(FlagInUseException.class, () -> registry.change("stage-layout", 1, new FlagUpdate(
                List.of(new Variant("on", 5000), new Variant("off", 5000)), "off", null, null, null), OPERATOR, "boolean", 6_000));
        assertTrue(toBoolean.getMessage().contains("is a string flag"), toBoolean.getMessage());
    }

    @Test
    void createStartsAtVersionOneAndIsAudited() {
        var registry = newRegistry();
        FlagDefinition created = registry.create(checkoutButton(1000), OPERATOR, REASON, 5_000);

        assertEquals(1, created.version());
        assertEquals(created, registry.get("checkout-button").orElseThrow());
        assertEquals(List.of(new AuditEntry(1, 5_000, OPERATOR, "flag.create", "checkout-button", "none",
                "v1 on=10% off=90% control=off scope=global", REASON)), registry.audit());
    }

    @Test
    void everyMutationIncrementsTheVersionAndRecordsBeforeAndAfter() {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        registry.change("checkout-button", 1, FlagUpdate.rollout(2050), OPERATOR, "looks healthy", 1_000);
        registry.kill("checkout-button", "sam", "payment errors", 2_000);
        registry.unkill("checkout-button", "sam", "acquirer recovered", 3_000);
        FlagDefinition last = registry.rollback("checkout-button", "on", "guardrail:sentiment", "sentiment -20%", 4_000);

        assertEquals(5, last.version());
        assertEquals(List.of(new Variant("on", 0), new Variant("off", 10_000)), last.variants());
        assertEquals(List.of("flag.create", "flag.change", "flag.kill", "flag.unkill", "flag.rollback"),
                registry.audit().stream().map(AuditEntry::action).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), registry.audit().stream().map(AuditEntry::sequence).toList());
        AuditEntry kill = registry.audit().get(2);
        assertEquals("sam", kill.actor());
        assertEquals("v2 on=20.5% off=79.5% control=off scope=global", kill.before());
        assertEquals("v3 on=20.5% off=79.5% control=off scope=global killed", kill.after());
        assertEquals("payment errors", kill.reason());
        assertEquals(2_000, kill.atMillis());
    }

    @Test
    void rollbackMovesTheVariantsWeightToControlAndLeavesOthers() {
        var registry = newRegistry();
        registry.create(threeWay(), OPERATOR, REASON, 0);
        FlagDefinition after = registry.rollback("stage-layout", "wide", OPERATOR, REASON, 10);
        assertEquals(List.of(new Variant("compact", 1000), new Variant("wide", 0), new Variant("classic", 9000)),
                after.variants());
    }

    @Test
    void aStaleEditIsRejectedWithBothVersions() {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        for (int i = 0; i < 6; i++) {
            registry.change("checkout-button", i + 1, FlagUpdate.rollout(1100 + 100 * i), OPERATOR, REASON, i);
        }
        var conflict = assertThrows(FlagConflictException.class, () ->
                registry.change("checkout-button", 5, FlagUpdate.rollout(5000), OPERATOR, REASON, 100));
        assertEquals("flag checkout-button is at version 7, the change was based on version 5", conflict.getMessage());
        assertEquals(7, conflict.currentVersion());
        assertEquals(7, registry.get("checkout-button").orElseThrow().version());
        assertEquals(7, registry.audit().size());
    }

    @Test
    void creatingAnExistingKeyIsAConflict() {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        var conflict = assertThrows(FlagConflictException.class,
                () -> registry.create(checkoutButton(2000), OPERATOR, REASON, 1));
        assertEquals("flag checkout-button already exists (version 1)", conflict.getMessage());
    }

    @Test
    void killingTwiceOrUnkillingALiveFlagIsAConflict() {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        assertThrows(FlagConflictException.class, () -> registry.unkill("checkout-button", OPERATOR, REASON, 1));
        registry.kill("checkout-button", OPERATOR, REASON, 2);
        assertThrows(FlagConflictException.class, () -> registry.kill("checkout-button", OPERATOR, REASON, 3));
    }

    @Test
    void aChangeThatLeavesTheFlagAsItIsIsRefusedAndMakesNoVersion() {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        List<FlagCommand> written = new ArrayList<>();
        registry.writeAheadTo(written::add);

        var same = assertThrows(FlagUnchangedException.class,
                () -> registry.change("checkout-button", 1, FlagUpdate.rollout(1000), OPERATOR, REASON, 1));
        assertEquals(1, same.currentVersion());
        var scopeOnly = assertThrows(FlagUnchangedException.class, () -> registry.change("checkout-button", 1,
                new FlagUpdate(null, null, Scope.GLOBAL, null, null), OPERATOR, REASON, 2));
        assertTrue(scopeOnly.getMessage().contains("nothing changed"), scopeOnly.getMessage());
        assertEquals(1, registry.get("checkout-button").orElseThrow().version());
        assertEquals(1, registry.audit().size());
        assertEquals(List.of(), written);

        // one that moves the weights is still a change
        assertEquals(2, registry.change("checkout-button", 1, FlagUpdate.rollout(1100), OPERATOR, REASON, 3).version());
    }

    @Test
    void aRecordedChangeThatChangedNothingIsReplayedAsItWas() {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        // journals written before such changes were refused hold some: a replay takes them as a version
        FlagDefinition replayed = registry.apply(new FlagCommand.Change("checkout-button", 1, FlagUpdate.rollout(1000),
                OPERATOR, REASON, 1));
        assertEquals(2, replayed.version());
    }

    static Stream<Arguments> invalidCommands() {
        return Stream.of(
                invalid("unknown flag", "key", "unknown flag 'nope'",
                        r -> r.change("nope", 1, FlagUpdate.rollout(10), OPERATOR, REASON, 10)),
                invalid("weights short of 100%", "variants",
                        "weights add up to 9500 (95%); they must add up to 10000 (100%)",
                        r -> r.change("checkout-button", 1, List.of(new Variant("on", 500), new Variant("off", 9000)),
                                OPERATOR, REASON, 10)),
                invalid("empty variants", "variants", "a flag needs at least one variant",
                        r -> r.change("checkout-button", 1, List.of(), OPERATOR, REASON, 10)),
                invalid("duplicate names", "variants[1].name", "duplicate variant name 'on'",
                        r -> r.change("checkout-button", 1, List.of(new Variant("on", 5000), new Variant("on", 5000)),
                                OPERATOR, REASON, 10)),
                invalid("negative weight", "variants[0].weight",
                        "weight of 'on' is -100; weights must not be negative",
                        r -> r.change("checkout-button", 1, List.of(new Variant("on", -100), new Variant("off", 10_100)),
                                OPERATOR, REASON, 10)),
                invalid("control not a variant", "controlVariant", "'classic' is not one of the variants [on, off]",
                        r -> r.change("checkout-button", 1, new FlagUpdate(null, "classic", null, null, null),
                                OPERATOR, REASON, 10)),
                invalid("unknown region", "scope.id", "unknown region 'apac'; known regions: eu, us",
                        r -> r.change("checkout-button", 1, FlagUpdate.scope(new Scope.Region("apac")),
                                OPERATOR, REASON, 10)),
                invalid("unknown PoP", "scope.id", "unknown PoP 'nrt'; known PoPs: ams, fra, iad",
                        r -> r.change("checkout-button", 1, FlagUpdate.scope(new Scope.Pop("nrt")),
                                OPERATOR, REASON, 10)),
                invalid("blank operator", "operator", "must not be blank",
                        r -> r.kill("checkout-button", " ", REASON, 10)),
                invalid("blank reason", "reason", "must not be blank",
                        r -> r.rollback("checkout-button", "on", OPERATOR, "", 10)),
                invalid("rollback of control", "variantName",
                        "'off' is the control variant of checkout-button; roll back a treatment variant",
                        r -> r.rollback("checkout-button", "off", OPERATOR, REASON, 10)),
                invalid("rollback of unknown variant", "variantName", "flag checkout-button has no variant 'blue'",
                        r -> r.rollback("checkout-button", "blue", OPERATOR, REASON, 10)),
                invalid("key with a colon", "key", "'a:b' must not contain ':' or whitespace",
                        r -> r.create(FlagDefinition.booleanFlag("a:b", "", "ops", 0, Scope.GLOBAL, "", 0),
                                OPERATOR, REASON, 10)),
                invalid("create without a definition", "definition", "must be present",
                        r -> r.create(null, OPERATOR, REASON, 10)),
                invalid("change without an update", "update", "must be present",
                        r -> r.change("checkout-button", 1, (FlagUpdate) null, OPERATOR, REASON, 10)),
                invalid("time going backwards", "atMillis",
                        "command at 4 ms is before the previous change at 5 ms",
                        r -> r.kill("checkout-button", OPERATOR, REASON, 4)));
    }

    private static Arguments invalid(String name, String field, String message, Consumer<FlagRegistry> command) {
        return Arguments.of(name, field, message, command);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCommands")
    void invalidCommandsNameTheFieldAndChangeNothing(String name, String field, String message,
                                                     Consumer<FlagRegistry> command) {
        var registry = newRegistry();
        registry.create(checkoutButton(1000), OPERATOR, REASON, 5);
        List<FlagDefinition> flagsBefore = registry.all();

        var error = assertThrows(FlagValidationException.class, () -> command.accept(registry));

        assertEquals(field, error.field());
        assertEquals(field + ": " + message, error.getMessage());
        assertEquals(flagsBefore, registry.all());
        assertEquals(1, registry.audit().size());
    }

    @Test
    void listenersHearEachEffectiveCommandOnceUntilTheyUnsubscribe() {
        var registry = newRegistry();
        var heard = new ArrayList<FlagCommand>();
        var subscription = registry.subscribe((command, entry) -> heard.add(command));
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        assertThrows(FlagConflictException.class, () -> registry.change("checkout-button", 9,
                FlagUpdate.rollout(2000), OPERATOR, REASON, 1));
        registry.kill("checkout-button", OPERATOR, REASON, 2);
        subscription.close();
        registry.unkill("checkout-button", OPERATOR, REASON, 3);

        assertEquals(List.of(new FlagCommand.Create(checkoutButton(1000), OPERATOR, REASON, 0),
                new FlagCommand.Kill("checkout-button", OPERATOR, REASON, 2)), heard);
    }

    @Test
    void allIsOrderedByKeyAndReturnsLatestVersions() {
        var registry = newRegistry();
        registry.create(threeWay(), OPERATOR, REASON, 0);
        registry.create(checkoutButton(1000), OPERATOR, REASON, 0);
        registry.kill("stage-layout", OPERATOR, REASON, 1);
        assertEquals(List.of("checkout-button", "stage-layout"),
                registry.all().stream().map(FlagDefinition::key).toList());
        assertTrue(registry.get("stage-layout").orElseThrow().killed());
        assertFalse(registry.get("missing").isPresent());
    }
}
