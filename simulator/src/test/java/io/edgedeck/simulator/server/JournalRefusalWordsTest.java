package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.edgedeck.simulator.server.LiveNodeFixture.chattr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live node (docs/examples/node-config.json) whose journal file is made immutable ({@code chattr +i},
 * which even root cannot write): a change is refused with a 503 whose detail is one sentence that
 * names the cause in the operating system's words, and {@code /healthz} says the same; with the file
 * writable again the change is made.
 */
class JournalRefusalWordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The show's records waiting in memory, when there are any, in words that agree with their number. */
    private static final String WAITING = "(; (1 record of the show waits|([02-9]|[1-9][0-9]+) records of the show wait)"
            + " in memory to be written again; nothing after (it|them) was acknowledged)?";
    private LiveNodeFixture live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private HttpResponse<String> kill() throws Exception {
        return live.send("POST", "/api/v1/flags/checkout-button/kill", live.key("token"), "{\"reason\":\"errors\"}");
    }

    private JsonNode health() {
        try {
            return JSON.readTree(live.send("GET", "/healthz", "", null).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aJournalThatCannotBeWrittenIsRefusedInOneSentenceNamingTheCause(@TempDir Path dir) throws Exception {
        live = new LiveNodeFixture(Files.readString(Path.of("..", "docs", "examples", "node-config.json")), dir);
        live.start();
        Path journal = dir.resolve("journal.jsonl");
        LiveNodeFixture.immutable(journal);
        try {
            HttpResponse<String> refused = kill();
            assertEquals(503, refused.statusCode(), refused.body());
            // The show writes its clock record every second: when one was refused before this change, the records
            // waiting in memory are counted in the same sentence.
            String refusal = JSON.readTree(refused.body()).get("detail").asText();
            assertTrue(refusal.matches("journal cannot be written: the write failed with \"Operation not permitted\"" + WAITING
                    + "; the node is read-only until it can write again, and nothing changed"), refusal);
            // /healthz answers from the newest frame, which says so within a frame (250 ms).
            LiveNodeFixture.await("/healthz says read-only", () -> "read-only".equals(health().path("status").asText()));
            JsonNode health = health();
            // The show's own records made meanwhile wait in memory, and are counted in words that agree with their number.
            String detail = health.get("detail").asText();
            assertTrue(detail.matches("journal not writable: Operation not permitted; changes are refused" + WAITING), detail);
        } finally {
            chattr("-i", journal);
        }
        LiveNodeFixture.await("the node takes changes again", () -> {
            try {
                return kill().statusCode() == 200;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
