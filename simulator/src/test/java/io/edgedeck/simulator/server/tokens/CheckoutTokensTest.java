package io.edgedeck.simulator.server.tokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens signed, checked and refused for each reason; keys rotated, and read back from their file. */
class CheckoutTokensTest {
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final long T0 = 1_800_000_000_000L;

    private static CheckoutTokens tokens(Path dir) throws Exception {
        return CheckoutTokens.loadOrCreate(dir, TTL, Duration.ofHours(1), T0);
    }

    @Test
    void aTokenIsGoodForItsUnitUntilItExpires(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        CheckoutTokens.Issued issued = t.issue("viewer-1", T0);
        assertEquals(T0 + 60_000, issued.expiresAtEpochMillis());
        assertFalse(issued.token().contains("viewer-1"), "the unit is in the signature only");
        CheckoutTokens.Verdict ok = t.check(issued.token(), "viewer-1", T0 + 59_999);
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, ok.outcome(), ok.detail());
        CheckoutTokens.Verdict late = t.check(issued.token(), "viewer-1", T0 + 60_000);
        assertEquals(CheckoutTokens.Outcome.EXPIRED, late.outcome());
        assertTrue(late.detail().startsWith("expired: "), late.detail());
    }

    @Test
    void anotherUnitAnAlteredTokenAnUnknownKeyOrGarbageIsForged(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        String token = t.issue("viewer-1", T0).token();
        assertEquals(CheckoutTokens.Outcome.FORGED, t.check(token, "viewer-2", T0).outcome());
        String[] parts = token.split("\\.");
        String later = String.join(".", parts[0], parts[1], Long.toString(Long.parseLong(parts[2]) + 3_600_000), parts[3], parts[4]);
        assertEquals(CheckoutTokens.Outcome.FORGED, t.check(later, "viewer-1", T0).outcome(), "a later expiry breaks the signature");
        String otherKey = String.join(".", parts[0], "99", parts[2], parts[3], parts[4]);
        CheckoutTokens.Verdict unknown = t.check(otherKey, "viewer-1", T0);
        assertEquals(CheckoutTokens.Outcome.FORGED, unknown.outcome());
        assertTrue(unknown.detail().contains("key 99"), unknown.detail());
        byte[] mac = Base64.getUrlDecoder().decode(parts[4]);
        mac[0] ^= 1;
        String flipped = String.join(".", parts[0], parts[1], parts[2], parts[3], Base64.getUrlEncoder().withoutPadding().encodeToString(mac));
        assertEquals(CheckoutTokens.Outcome.FORGED, t.check(flipped, "viewer-1", T0).outcome());
        for (String garbage : new String[] {"", "v1.1.2.3", "v2.1.2.3.4", "v1.x.2.3.4", "v1.1.2.3.%%%", null}) {
            assertEquals(CheckoutTokens.Outcome.FORGED, t.check(garbage, "viewer-1", T0).outcome(), String.valueOf(garbage));
        }
    }

    @Test
    void aTokenATriggerOfferedNamesTheFiringUnderItsSignature(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        CheckoutTokens.Offer offer = new CheckoutTokens.Offer("hot-buyer", T0 - 5);
        String offered = t.issue("viewer-1", T0, offer).token();
        CheckoutTokens.Verdict ok = t.check(offered, "viewer-1", T0);
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, ok.outcome(), ok.detail());
        assertEquals(offer, ok.offer());
        assertEquals(null, t.check(t.issue("viewer-1", T0).token(), "viewer-1", T0).offer(), "a back end's token names no offer");
        assertEquals(CheckoutTokens.Outcome.FORGED, t.check(offered, "viewer-2", T0).outcome(), "bound to its unit");
        String[] parts = offered.split("\\.");
        String otherFiring = String.join(".", parts[0], parts[1], parts[2], parts[3], Base64.getUrlEncoder().withoutPadding()
                .encodeToString(((T0 - 4) + "@hot-buyer").getBytes(java.nio.charset.StandardCharsets.UTF_8)), parts[5]);
        assertEquals(CheckoutTokens.Outcome.FORGED, t.check(otherFiring, "viewer-1", T0).outcome(), "bound to its firing");
        String noOffer = String.join(".", parts[0], parts[1], parts[2], parts[3], parts[5]);
        assertEquals(CheckoutTokens.Outcome.FORGED, t.check(noOffer, "viewer-1", T0).outcome(), "the offer cannot be dropped");
    }

    @Test
    void aCheckoutIsTakenOnceAndGivenBackWhenItCouldNotBeMadeDurable(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        assertTrue(t.take("k.checkout", T0 + 60_000, T0));
        assertFalse(t.take("k.checkout", T0 + 60_000, T0 + 1), "a second presentation is a replay");
        t.release("k.checkout");
        assertTrue(t.take("k.checkout", T0 + 60_000, T0 + 2));
    }

    @Test
    void afterARotationThePreviousKeyIsGoodForOneTtlAndTheKeysSurviveAReload(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        String before = t.issue("viewer-1", T0 + 50_000).token();
        CheckoutTokens.Rotation r = t.next(T0 + 60_000);
        assertEquals(1, r.fromKeyId());
        assertEquals(2, r.toKeyId());
        r.prepare();
        assertEquals(1, t.state().currentKeyId(), "a prepared key is not in use before its rotation is journaled");
        r.commit();
        assertFalse(Files.exists(dir.resolve(CheckoutTokens.FILE + ".next")), "the prepared key took the file's place");
        assertEquals(2, t.state().currentKeyId());
        assertEquals(1L, t.state().previousKeyId());
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, t.check(before, "viewer-1", T0 + 100_000).outcome(),
                "issued under key 1 before the rotation, still within its TTL");
        String after = t.issue("viewer-1", T0 + 61_000).token();
        assertTrue(after.startsWith("v1.2."), after);

        CheckoutTokens reloaded = tokens(dir);
        assertEquals(2, reloaded.state().currentKeyId());
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, reloaded.check(after, "viewer-1", T0 + 62_000).outcome(),
                "a restarted node checks what it signed before");
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, reloaded.check(before, "viewer-1", T0 + 100_000).outcome());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve(CheckoutTokens.FILE)));

        CheckoutTokens.Rotation again = reloaded.next(T0 + 3_700_000);
        again.prepare();
        again.commit();
        assertEquals(CheckoutTokens.Outcome.FORGED, reloaded.check(before, "viewer-1", T0 + 3_700_001).outcome(),
                "key 1 is gone two rotations later");
    }

    @Test
    void twoRotationsWithinOneTtlKeepEveryKeyWhoseTokensAreStillGood(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        String first = t.issue("viewer-1", T0 + 1_000).token();
        rotate(t, T0 + 2_000);
        String second = t.issue("viewer-1", T0 + 3_000).token();
        rotate(t, T0 + 4_000);
        assertEquals(3, t.state().currentKeyId());
        assertEquals(java.util.List.of(new CheckoutTokens.RetiredKey(2, T0 + 64_000), new CheckoutTokens.RetiredKey(1, T0 + 62_000)),
                t.state().retiredKeys());
        CheckoutTokens.Verdict v = t.check(first, "viewer-1", T0 + 5_000);
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, v.outcome(), v.detail());
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, t.check(second, "viewer-1", T0 + 5_000).outcome());
        CheckoutTokens reloaded = tokens(dir);
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, reloaded.check(first, "viewer-1", T0 + 6_000).outcome(),
                "a restarted node holds every key it replaced within one TTL");
        assertEquals(CheckoutTokens.Outcome.EXPIRED, reloaded.check(first, "viewer-1", T0 + 62_000).outcome(),
                "its own expiry still ends it");

        // A rotation one TTL after key 1 was replaced drops key 1, keeps key 2 until its own TTL is over.
        rotate(reloaded, T0 + 62_500);
        assertEquals(java.util.List.of(3L, 2L), reloaded.state().retiredKeys().stream().map(CheckoutTokens.RetiredKey::keyId).toList());
        assertEquals(CheckoutTokens.Outcome.FORGED, reloaded.check(first, "viewer-1", T0 + 62_600).outcome());
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, reloaded.check(second, "viewer-1", T0 + 62_600).outcome());
    }

    /**
     * A node started again with a shorter TTL: a token signed before the start under the longer TTL
     * stays good for that TTL, through rotations and another restart, then expires by its own time.
     */
    @Test
    void aKeyThatSignedUnderALongerTtlIsKeptAsLongAsItsTokensAfterAShorterTtlStart(@TempDir Path dir) throws Exception {
        CheckoutTokens hour = CheckoutTokens.loadOrCreate(dir, Duration.ofHours(1), Duration.ofHours(1), T0);
        String token = hour.issue("viewer-1", T0).token();
        long restart = T0 + 10_000;
        CheckoutTokens minute = CheckoutTokens.loadOrCreate(dir, TTL, Duration.ofHours(1), restart, 0, Duration.ofHours(1));
        rotate(minute, T0 + 20_000);
        assertEquals(restart + 3_600_000, minute.state().previousGoodUntilEpochMillis(),
                "the key that signed at the start is kept for the longest TTL its tokens may have");
        CheckoutTokens.Verdict v = minute.check(token, "viewer-1", T0 + 1_000_000);
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, v.outcome(), v.detail());
        String later = minute.issue("viewer-1", T0 + 30_000).token();
        rotate(minute, T0 + 2_000_000);
        assertEquals(java.util.List.of(new CheckoutTokens.RetiredKey(2, T0 + 2_060_000), new CheckoutTokens.RetiredKey(1, restart + 3_600_000)),
                minute.state().retiredKeys(), "a key made after the start is kept for the configured TTL only");
        v = minute.check(token, "viewer-1", T0 + 2_000_001);
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, v.outcome(), v.detail());
        assertEquals(CheckoutTokens.Outcome.EXPIRED, minute.check(later, "viewer-1", T0 + 2_000_001).outcome());

        CheckoutTokens again = CheckoutTokens.loadOrCreate(dir, TTL, Duration.ofHours(1), T0 + 2_100_000, 0, Duration.ofHours(1));
        v = again.check(token, "viewer-1", T0 + 3_500_000);
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, v.outcome(), "the key's time is kept in its file: " + v.detail());
        assertEquals(CheckoutTokens.Outcome.EXPIRED, again.check(token, "viewer-1", T0 + 3_600_000).outcome(),
                "its own expiry still ends it");
    }

    @Test
    void aRotationThatRevokesDropsEveryKeyHeldBefore(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        String first = t.issue("viewer-1", T0).token();
        rotate(t, T0 + 1_000);
        String second = t.issue("viewer-1", T0 + 2_000).token();
        CheckoutTokens.Rotation leaked = t.next(T0 + 3_000, true);
        assertEquals(java.util.List.of(1L, 2L), leaked.revokedKeyIds());
        leaked.prepare();
        leaked.commit();
        assertTrue(t.state().retiredKeys().isEmpty(), t.state().toString());
        for (CheckoutTokens c : new CheckoutTokens[] {t, tokens(dir)}) {
            assertEquals(CheckoutTokens.Outcome.FORGED, c.check(first, "viewer-1", T0 + 4_000).outcome());
            assertEquals(CheckoutTokens.Outcome.FORGED, c.check(second, "viewer-1", T0 + 4_000).outcome());
            assertEquals(CheckoutTokens.Outcome.ACCEPTED, c.check(c.issue("viewer-1", T0 + 4_000).token(), "viewer-1", T0 + 4_001).outcome());
        }
    }

    @Test
    void aKeyFileWithOnePreviousKeyIsReadAsBefore(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        String first = t.issue("viewer-1", T0).token();
        rotate(t, T0 + 10_000);
        // The shape an earlier build wrote: "previous" beside "current", good for one TTL after the current one took over.
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve(CheckoutTokens.FILE).toFile());
        var previous = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("retired").get(0);
        previous.remove("goodUntilEpochMillis");
        root.remove("retired");
        root.set("previous", previous);
        Files.write(dir.resolve(CheckoutTokens.FILE), json.writeValueAsBytes(root));
        CheckoutTokens old = tokens(dir);
        assertEquals(1L, old.state().previousKeyId());
        assertEquals(T0 + 70_000, old.state().previousGoodUntilEpochMillis());
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, old.check(first, "viewer-1", T0 + 20_000).outcome());
    }

    private static void rotate(CheckoutTokens t, long at) throws Exception {
        CheckoutTokens.Rotation r = t.next(at);
        r.prepare();
        r.commit();
    }

    @Test
    void anAbandonedRotationLeavesTheKeyAsItWas(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        String token = t.issue("viewer-1", T0).token();
        CheckoutTokens.Rotation r = t.next(T0 + 1);
        r.prepare();
        r.abandon();
        assertEquals(1, t.state().currentKeyId());
        assertFalse(Files.exists(dir.resolve(CheckoutTokens.FILE + ".next")));
        assertEquals(1, tokens(dir).state().currentKeyId());
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, tokens(dir).check(token, "viewer-1", T0 + 2).outcome());
    }

    @Test
    void aStartSettlesARotationAStopInterruptedByWhatTheJournalSays(@TempDir Path dir) throws Exception {
        CheckoutTokens t = tokens(dir);
        String token = t.issue("viewer-1", T0).token();
        // Stopped after the key was prepared, before its rotation was journaled: the journal's latest
        // rotation made key 1 (none at all here), so the prepared key 2 is dropped.
        t.next(T0 + 1).prepare();
        CheckoutTokens restarted = CheckoutTokens.loadOrCreate(dir, Duration.ofMinutes(5), Duration.ofHours(1), T0 + 2, 0, Duration.ofMinutes(5));
        assertEquals(1, restarted.state().currentKeyId());
        assertFalse(Files.exists(dir.resolve(CheckoutTokens.FILE + ".next")));
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, restarted.check(token, "viewer-1", T0 + 3).outcome());

        // Stopped after the rotation to key 2 was journaled, before the file was replaced: key 2 is put in place.
        t.next(T0 + 4).prepare();
        restarted = CheckoutTokens.loadOrCreate(dir, Duration.ofMinutes(5), Duration.ofHours(1), T0 + 5, 2, Duration.ofMinutes(5));
        assertEquals(2, restarted.state().currentKeyId(), "the journal says key 2 signs: it does");
        assertEquals(1L, restarted.state().previousKeyId());
        assertEquals(CheckoutTokens.Outcome.ACCEPTED, restarted.check(token, "viewer-1", T0 + 6).outcome(),
                "key 1's tokens are good for one TTL after, as after any rotation");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve(CheckoutTokens.FILE)));
        assertFalse(Files.exists(dir.resolve(CheckoutTokens.FILE + ".next")));
        assertEquals(2, tokens(dir).state().currentKeyId());

        // A prepared file cut short by the stop is not a key the journal can name: dropped.
        Files.writeString(dir.resolve(CheckoutTokens.FILE + ".next"), "{\"current\": {\"id\": 3, \"sec");
        assertEquals(2, CheckoutTokens.loadOrCreate(dir, Duration.ofMinutes(5), Duration.ofHours(1), T0 + 7, 2, Duration.ofMinutes(5)).state().currentKeyId());
        assertFalse(Files.exists(dir.resolve(CheckoutTokens.FILE + ".next")));
    }

    @Test
    void aDamagedKeyFileIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(CheckoutTokens.FILE), "{\"current\": {\"id\": 1, \"secret\": \"short\"}}");
        var e = assertThrows(java.io.IOException.class, () -> tokens(dir));
        assertTrue(e.getMessage().contains(CheckoutTokens.FILE) && e.getMessage().contains("delete the file"), e.getMessage());
    }
}
