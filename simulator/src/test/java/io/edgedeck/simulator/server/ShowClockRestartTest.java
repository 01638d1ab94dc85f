package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 point 9's last gap: the show clock rewound to the last journaled record after a restart,
 * so later cues fired late. A real node journals its show position every second; killed with
 * SIGKILL and started again, it resumes within that second of where it was. Its journal alone (the
 * data directory, for a show from a scenario file the built-ins do not know) replays the show.
 */
class ShowClockRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private long engineMillis(URI base, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/frames/latest"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("engineMillis").asLong();
    }

    @Test
    void aRestartedNodeResumesTheShowClockAndItsJournalAloneReplaysTheShow(@TempDir Path dir) throws Exception {
        // A show the built-ins do not know: its scenario file's document travels in the journal.
        String document;
        try (InputStream in = getClass().getResourceAsStream("/io/edgedeck/simulator/scenarios/steady-show.json")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"name\": \"steady-show\"",
                    "\"name\": \"friday-rehearsal\"");
        }
        Path scenario = dir.resolve("friday-rehearsal.json");
        Files.writeString(scenario, document);
        Path data = dir.resolve("data");
        int speed = 10;
        NodeProcess first = NodeProcess.start("--port", "0", "--scenario", scenario.toString(), "--speed", Integer.toString(speed),
                "--data-dir", data.toString());
        String token = Files.readString(data.resolve("token")).trim();
        long deadline = System.currentTimeMillis() + 60_000;
        long reached = engineMillis(first.base(), token);
        while (reached < 30_000 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            reached = engineMillis(first.base(), token);
        }
        assertTrue(reached >= 30_000, "the show played 30 s: " + reached);
        assertEquals(137, first.kill());

        List<String> lines = Files.readAllLines(data.resolve("journal.jsonl"));
        JsonNode started = JSON.readTree(lines.getFirst());
        assertEquals("friday-rehearsal", started.get("document").get("name").asText(), "the first record carries the scenario");
        List<String> clockLines = lines.stream().filter(l -> l.contains("\"type\":\"show.clock\"")).toList();
        assertTrue(clockLines.size() >= 2, "the show clock journaled about once a second: " + clockLines.size() + " records");
        long journaled = JSON.readTree(clockLines.getLast()).get("atMillis").asLong();

        NodeProcess second = NodeProcess.start("--port", "0", "--scenario", scenario.toString(), "--speed", Integer.toString(speed),
                "--data-dir", data.toString());
        try {
            long resumed = engineMillis(second.base(), token);
            // It resumes where its journal last put the show, never before: on a quiet machine that is
            // within a wall second (10 s of show at 10x) of where it was killed; under load the journal's
            // once-a-second record may come later, so the bound is the journal's own, not the wall clock's.
            assertTrue(resumed >= journaled, "resumed at " + resumed + " ms, the journal had " + journaled + " ms (was at "
                    + reached + " ms)");
            assertTrue(journaled > 0, "the show clock journaled a position past the start: " + journaled);
        } finally {
            second.close();
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"replay", "--journal", data.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String said = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, said + err.toString(StandardCharsets.UTF_8));
        assertTrue(said.contains("the engine made the same"), said);
    }
}
