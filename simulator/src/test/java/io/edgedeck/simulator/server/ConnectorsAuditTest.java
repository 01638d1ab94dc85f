package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import io.edgedeck.simulator.scenario.ScenarioParser;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What feeds a show is an operator's change too: a node started with other connectors than it ran
 * before (added, removed, pointed elsewhere in its configuration) audits one {@code connectors.set}
 * entry by {@code config}, before and after in words and never a secret; started again with the same
 * connectors, it audits nothing. The entries are journaled, so a restarted node keeps them.
 */
class ConnectorsAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cret-webhook-value-77";

    @TempDir
    Path dir;

    private static ConnectorsConfig connectors(String json) throws Exception {
        return ConnectorsConfig.readNodeConfig("{\"name\": \"friday-drop\", \"connectors\": " + json + "}");
    }

    private List<JsonNode> connectorEntries(ShowDefinition show, ConnectorsConfig connectors) throws Exception {
        try (EdgeNode node = EdgeNode.start(new EdgeNode.Config(show, 1, InetAddress.getLoopbackAddress(), 0, dir)
                .withConnectors(connectors)); HttpClient http = HttpClient.newHttpClient()) {
            String token = Files.readString(node.tokenFile()).strip();
            HttpResponse<String> audit = http.send(HttpRequest.newBuilder(URI.create(node.baseUri() + "/api/v1/audit?kind=connectors"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, audit.statusCode(), audit.body());
            assertFalse(audit.body().contains(SECRET), "no secret in the audit: " + audit.body());
            List<JsonNode> entries = new ArrayList<>();
            JSON.readTree(audit.body()).forEach(entries::add);
            return entries;
        }
    }

    @Test
    void aStartWithOtherConnectorsIsAuditedOnceAndAStartWithTheSameIsNot() throws Exception {
        ShowDefinition show;
        try (InputStream in = getClass().getResourceAsStream("/io/edgedeck/simulator/server/connectors-show.json")) {
            show = ShowDefinition.of(ScenarioParser.parse(in));
        }
        ConnectorsConfig webhook = connectors("{\"chatWebhooks\": [{\"name\": \"youtube\", \"secret\": \"" + SECRET + "\"}]}");
        ConnectorsConfig more = connectors("{\"chatWebhooks\": [{\"name\": \"youtube\", \"secret\": \"" + SECRET + "\"},"
                + " {\"name\": \"stage\", \"secret\": \"" + SECRET + "\", \"channel\": \"backstage\"}]}");

        List<JsonNode> first = connectorEntries(show, webhook);
        assertEquals(1, first.size(), first.toString());
        JsonNode e = first.getFirst();
        assertEquals("config", e.get("actor").asText());
        assertEquals("connectors.set", e.get("action").asText());
        assertEquals("none", e.get("before").asText());
        assertEquals("chat-webhook youtube (webhook:youtube)", e.get("after").asText());

        assertEquals(first, connectorEntries(show, webhook), "the same connectors again: nothing new");

        List<JsonNode> third = connectorEntries(show, more);
        assertEquals(2, third.size(), third.toString());
        assertEquals("chat-webhook youtube (webhook:youtube)", third.getLast().get("before").asText());
        assertEquals("chat-webhook youtube (webhook:youtube); chat-webhook stage (backstage)", third.getLast().get("after").asText());

        List<JsonNode> none = connectorEntries(show, ConnectorsConfig.NONE);
        assertEquals(3, none.size(), none.toString());
        assertEquals("none", none.getLast().get("after").asText(), "connectors removed are a change too");
    }
}
