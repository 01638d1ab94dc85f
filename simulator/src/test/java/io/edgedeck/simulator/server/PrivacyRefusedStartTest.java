package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.simulator.server.privacy.Pseudonyms;
import io.edgedeck.simulator.server.tokens.CheckoutTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node's secrets (docs/PRIVACY.md) are read before its start's checks, and written only once
 * they have all passed: a start refused leaves every byte of its data directory as it found it,
 * even where reading the secrets decided to write (a salt rotation a stop interrupted after it was
 * journaled, a token key prepared before its rotation was, a creation a crash cut short, a longer
 * checkout token TTL in the node config), and a start that goes on then writes each of them.
 */
class PrivacyRefusedStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static String config(String example, boolean withRule, long ttlSeconds) throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(example);
        if (!withRule) {
            c.putArray("guardrails");
        }
        c.putObject("checkoutTokens").put("ttlSeconds", ttlSeconds).put("keyRotationSeconds", 3600);
        return c.toString();
    }

    @Test
    void aRefusedStartWritesNoSecretAndOneThatGoesOnWritesWhatItRead() throws Exception {
        String example = Files.readString(Path.of("..", "docs", "examples", "node-config.json"));
        // A node without the example's guardrail rotates its salt and drops the variant the guardrail watches.
        live = new LiveNodeFixture(config(example, false, 60), dataDir);
        live.start();
        String token = live.key("token");
        Path salt = dataDir.resolve(Pseudonyms.FILE);
        byte[] firstSalt = Files.readAllBytes(salt);
        HttpResponse<String> rotated = live.send("POST", "/api/v1/privacy/salt/rotate", token, "{\"reason\":\"quarterly\"}");
        assertEquals(200, rotated.statusCode(), rotated.body());
        byte[] secondSalt = Files.readAllBytes(salt);
        long version = 0;
        for (JsonNode f : JSON.readTree(live.send("GET", "/api/v1/flags", token, null).body())) {
            if (f.get("key").asText().equals("checkout-button")) {
                version = f.get("version").asLong();
            }
        }
        HttpResponse<String> dropped = live.send("PATCH", "/api/v1/flags/checkout-button", token, "{\"expectedVersion\":" + version
                + ",\"variants\":[{\"name\":\"control\",\"weight\":10000}],\"reason\":\"tidy up\"}");
        assertEquals(200, dropped.statusCode(), dropped.body());
        live.close();
        live = null;

        // As a stop leaves it: the salt's rotation journaled but not yet moved in place; a token key prepared and
        // not journaled; a unit key's creation cut short.
        Files.write(salt, firstSalt);
        Files.write(dataDir.resolve(Pseudonyms.FILE + ".next"), secondSalt);
        Path keys = dataDir.resolve(CheckoutTokens.FILE);
        Files.copy(keys, dataDir.resolve(CheckoutTokens.FILE + ".next"));
        Files.writeString(dataDir.resolve("unit-key.4242.creating"), "a unit key a crash cut short\n");
        assertEquals("60", Files.readString(dataDir.resolve(LivePrivacy.TOKEN_TTL_FILE)).trim());
        Map<String, String> before = EveryFile.hashes(dataDir);

        // The example's guardrail watches the dropped variant: refused, with a longer token TTL too.
        live = new LiveNodeFixture(config(example, true, 600), dataDir);
        EdgeNode.StartException refused = assertThrows(EdgeNode.StartException.class, live::start);
        assertTrue(refused.getMessage().contains("guardrail sentiment-guard watches variant 'treatment'"), refused.getMessage());
        assertEquals(before, EveryFile.hashes(dataDir), refused.getMessage());

        // A start that goes on writes what it read: the journaled salt in place, the rest dropped, the longer TTL kept.
        live = new LiveNodeFixture(config(example, false, 600), dataDir);
        live.start();
        assertArrayEquals(secondSalt, Files.readAllBytes(salt), "the salt whose rotation was journaled is in place");
        assertFalse(Files.exists(dataDir.resolve(Pseudonyms.FILE + ".next")));
        assertFalse(Files.exists(dataDir.resolve(CheckoutTokens.FILE + ".next")), "a token key never journaled is dropped");
        assertFalse(Files.exists(dataDir.resolve("unit-key.4242.creating")));
        assertEquals("600", Files.readString(dataDir.resolve(LivePrivacy.TOKEN_TTL_FILE)).trim());
        JsonNode privacy = JSON.readTree(live.send("GET", "/api/v1/privacy", live.key("token"), null).body());
        assertEquals(2, privacy.path("saltGeneration").asLong(), privacy.toString());
    }
}
