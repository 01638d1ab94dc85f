package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.engine.journal.CrashPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A playbook the node runs when its guardrail fires, in a real node process killed with SIGKILL
 * between the two journal writes: the firing is journaled, the playbook's run is not. Started again
 * from its data directory, the node runs the playbook once for that firing; started a third time, it
 * runs nothing again.
 */
class PlaybookKillNineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAYBOOK = "kill-on-conversion-drop";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** conversion-drop at seed 7 (its conversion guard rolls the treatment back at 286 s) with a playbook tied to that guard. */
    private static Path scenario(Path dir) throws Exception {
        JsonNode show;
        try (InputStream in = PlaybookKillNineTest.class.getResourceAsStream("/io/edgedeck/simulator/scenarios/conversion-drop.json")) {
            show = JSON.readTree(in);
        }
        ((ObjectNode) show).put("seed", 7);
        ((ObjectNode) show).set("playbooks", JSON.readTree("""
                [{"id": "%s", "description": "stop the redesign when the guard fires",
                  "actions": [{"type": "kill", "flag": "checkout-redesign"}, {"type": "disarm", "guardrail": "latency-guard"}],
                  "onGuardrail": "conversion-guard"}]""".formatted(PLAYBOOK)));
        Path file = dir.resolve("conversion-drop-playbook.json");
        Files.writeString(file, JSON.writeValueAsString(show));
        return file;
    }

    private List<AuditEntry> audit(URI base, Path data) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/audit")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + Files.readString(data.resolve("token")).trim()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return List.of(JSON.readValue(r.body(), AuditEntry[].class));
    }

    private static List<AuditEntry> runs(List<AuditEntry> audit) {
        return audit.stream().filter(e -> e.action().equals("playbook.run") && e.target().equals(PLAYBOOK)).toList();
    }

    @Test
    void aFiringWhosePlaybookHadNotRunWhenTheNodeWasKilledRunsItOnceAfterTheRestart(@TempDir Path data, @TempDir Path dir)
            throws Exception {
        Path show = scenario(dir);
        String[] args = {"--scenario", show.toString(), "--port", "0", "--data-dir", data.toString()};
        NodeProcess halting = NodeProcess.start(List.of("-Dedgedeck.crash-test.halt-at=" + CrashPoint.PLAYBOOK_OWED.name()),
                concat(args, "--speed", "max"));
        long deadline = System.currentTimeMillis() + 180_000;
        String halted = "halted at " + CrashPoint.PLAYBOOK_OWED.name();
        while (!halting.output.contains(halted) && halting.process.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(halting.output.contains(halted), "the guard fired and the node stopped before the playbook ran: " + halting.output);
        assertEquals(137, halting.kill());

        // Started again at 1x: the show barely moves on, so the run is the one owed, not an answer to a new firing.
        NodeProcess second = NodeProcess.start(concat(args, "--speed", "1"));
        List<AuditEntry> trail;
        try {
            LiveNode.await("the playbook owed from before the kill runs", () -> {
                try {
                    return !runs(audit(second.base(), data)).isEmpty();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            trail = audit(second.base(), data);
            List<AuditEntry> runs = runs(trail);
            assertEquals(1, runs.size(), runs.toString());
            assertEquals("guardrail:conversion-guard", runs.getFirst().actor());
            assertEquals("kill checkout-redesign; disarm latency-guard", runs.getFirst().after());
            assertEquals(1, trail.stream().filter(e -> e.action().equals("guardrail.rollback") || e.action().equals("flag.rollback"))
                    .filter(e -> e.actor().equals("guardrail:conversion-guard")).map(AuditEntry::atMillis).distinct().count(),
                    "one firing, from before the kill: " + trail);
            assertTrue(second.output.stream().anyMatch(l -> l.contains("Running playbook " + PLAYBOOK)
                    && l.contains("the node stopped before it ran")), "the run was the owed one: " + second.output);
        } finally {
            assertEquals(137, second.kill());
        }

        NodeProcess third = NodeProcess.start(concat(args, "--speed", "1"));
        try {
            Thread.sleep(1500);
            List<AuditEntry> again = audit(third.base(), data);
            assertEquals(1, runs(again).size(), "run once, not again after another restart: " + runs(again));
            assertEquals(trail, again.subList(0, trail.size()), "the same trail");
        } finally {
            third.close();
        }
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
