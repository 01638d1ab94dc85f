package io.edgedeck.simulator.connectors;

import io.edgedeck.simulator.connectors.cdn.CdnLogEndpoint;
import io.edgedeck.simulator.connectors.cdn.CdnLogsConfig;
import io.edgedeck.simulator.connectors.cdn.FieldMapping;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connectors object of a node config as docs/CONNECTORS.md writes it, and the metrics it yields. */
class ConnectorsConfigTest {
    private static final String FULL = ConnectorFixtures.FULL;

    @Test
    void theDocumentedShapeReadsWithItsDefaults() throws Exception {
        ConnectorsConfig c = ConnectorsConfig.read(FULL);
        CdnLogsConfig cf = c.cdnLogs().getFirst();
        assertEquals(FieldMapping.CLOUDFLARE, cf.fields());
        assertEquals("X-EdgeDeck-Secret", cf.secretHeader());
        assertEquals(Map.of("FRA", "fra", "CDG", "par", "IAD", "iad"), cf.pops());
        assertEquals("/connectors/cdn/cloudflare", cf.path());
        assertEquals(4194304L, c.cdnLogs().get(1).limits().maxBodyBytes());
        assertEquals(32L << 20, c.cdnLogs().get(1).limits().maxDecompressedBytes());
        assertEquals(2000L, c.probes().timeoutMillis());
        assertEquals("somechannel", c.twitch().getFirst().channel());
        assertEquals(6697, c.twitch().getFirst().port());
        assertEquals("youtube:my-show", c.chatWebhooks().getFirst().channel());
        assertEquals("127.0.0.1", c.obs().host());
        assertTrue(c.obs().password().matches("obs-password"));
        assertTrue(!c.obs().toString().contains("obs-password"), "a secret never shows in a config's text: " + c.obs());
        assertEquals(ConnectorsConfig.NONE, ConnectorsConfig.read("{}"));
    }

    /** An IPv6 address, with the brackets a URL gives it or without, is OBS's host either way. */
    @Test
    void anIpv6ObsHostIsTakenWithOrWithoutBrackets() throws Exception {
        for (String host : List.of("::1", "[::1]")) {
            ConnectorsConfig c = ConnectorsConfig.read("{\"obs\": {\"host\": \"" + host + "\", \"port\": 4455}}");
            assertEquals("::1", c.obs().host());
            assertEquals("ws://[::1]:4455", c.obs().url());
        }
        // A container's name, with an underscore, is a host OBS can be reached at.
        assertEquals("ws://obs_studio:4455", ConnectorsConfig.read("{\"obs\": {\"host\": \"obs_studio\"}}").obs().url());
    }

    @Test
    void mistakesNameTheFieldAndLine() {
        ConnectorConfigException unknown = assertThrows(ConnectorConfigException.class,
                () -> ConnectorsConfig.read("{\n \"cdnLogs\": [{\"name\": \"cf\", \"format\": \"cloudflare\", \"secret\": \"s\", \"pops\": {\"FRA\": \"fra\"},\n \"colo\": 1}]}"));
        assertEquals("connectors.cdnLogs[0].colo", unknown.path(), unknown.getMessage());
        assertEquals(3, unknown.line());
        assertTrue(unknown.getMessage().contains("unknown field colo"), unknown.getMessage());

        ConnectorConfigException flood = assertThrows(ConnectorConfigException.class, () -> ConnectorsConfig.read(
                "{\"probes\": {\"count\": 100, \"intervalMillis\": 1000, \"targets\": [{\"pop\": \"a\", \"url\": \"https://a/\"},"
                        + "{\"pop\": \"b\", \"url\": \"https://b/\"},{\"pop\": \"c\", \"url\": \"https://c/\"}]}}"));
        assertEquals("connectors.probes", flood.path());
        assertTrue(flood.getMessage().contains("300 probes/s"), flood.getMessage());

        ConnectorConfigException type = assertThrows(ConnectorConfigException.class,
                () -> ConnectorsConfig.read("{\"obs\": {\"port\": \"4455\"}}"));
        assertEquals("connectors.obs.port", type.path());

        ConnectorConfigException badHost = assertThrows(ConnectorConfigException.class,
                () -> ConnectorsConfig.read("{\"obs\": {\"host\": \"obs box\"}}"));
        assertTrue(badHost.getMessage().contains("host must be a host name or an IP address"), badHost.getMessage());

        ConnectorConfigException twice = assertThrows(ConnectorConfigException.class,
                () -> ConnectorsConfig.read("{\"twitch\": [{\"channel\": \"abc\"}, {\"channel\": \"#ABC\"}]}"));
        assertTrue(twice.getMessage().contains("the channel abc appears twice"), twice.getMessage());

        ConnectorConfigException noSecret = assertThrows(ConnectorConfigException.class,
                () -> ConnectorsConfig.read("{\"chatWebhooks\": [{\"name\": \"yt\"}]}"));
        assertEquals("connectors.chatWebhooks[0]", noSecret.path());
        assertTrue(noSecret.getMessage().contains("secret is required"), noSecret.getMessage());
    }

    @Test
    void theSeamMountsPushedEndpointsAndRendersCountersForMetrics() throws Exception {
        ConnectorsConfig config = ConnectorsConfig.read("""
                {"cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "s", "pops": {"FRA": "fra"}}],
                 "chatWebhooks": [{"name": "youtube", "secret": "t"}]}""");
        RecordingSink sink = new RecordingSink();
        try (Connectors connectors = new Connectors(config, sink, h -> { }, InstantSource.system())) {
            connectors.start();
            assertEquals(List.of("/connectors/cdn/cloudflare", "/connectors/chat/youtube"),
                    connectors.pushEndpoints().keySet().stream().sorted().toList());
            assertNull(connectors.fastlyChallengeBody());
            String batch = "{\"RayID\":\"a\",\"EdgeColoCode\":\"FRA\",\"EdgeTimeToFirstByteMs\":40}\n"
                    + "{\"RayID\":\"b\",\"EdgeColoCode\":\"SIN\",\"EdgeTimeToFirstByteMs\":90}\n";
            PushResult r = connectors.pushEndpoints().get("/connectors/cdn/cloudflare")
                    .handle(name -> name.equalsIgnoreCase("X-EdgeDeck-Secret") ? "s" : null,
                            new ByteArrayInputStream(batch.getBytes(StandardCharsets.UTF_8)));
            assertEquals(200, r.status());

            StringBuilder out = new StringBuilder();
            ConnectorMetrics.render(connectors.statuses(), out);
            String text = out.toString();
            assertTrue(text.contains("edgedeck_connector_up{kind=\"cdn-logs\",name=\"cloudflare\"} 1\n"), text);
            assertTrue(text.contains("edgedeck_connector_events_total{kind=\"cdn-logs\",name=\"cloudflare\"} 1\n"), text);
            assertTrue(text.contains("edgedeck_connector_errors_total{kind=\"cdn-logs\",name=\"cloudflare\",reason=\"unknown-pop\"} 1\n"), text);
            assertTrue(text.contains("edgedeck_connector_unknown_pop_requests_total{kind=\"cdn-logs\",name=\"cloudflare\",code=\"SIN\"} 1\n"), text);
            assertTrue(text.contains("edgedeck_connector_state{kind=\"chat-webhook\",name=\"youtube\",state=\"listening\"} 1\n"), text);
            assertEquals(CdnLogEndpoint.KIND, connectors.statuses().getFirst().kind());
        }
    }
}
