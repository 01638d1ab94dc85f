package io.edgedeck.simulator.scenario;

import io.edgedeck.simulator.connectors.ConnectorFixtures;
import io.edgedeck.simulator.connectors.ConnectorsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published connectors schema (connectors.schema.json), read by the project's validator both on
 * its own ({@code serve --connectors FILE}) and as the node configuration's {@code connectors}
 * object: good configs pass with their defaults, bad ones are refused naming the path and line.
 */
class ConnectorsSchemaTest {
    private static final List<String> POPS = List.of("fra", "par", "iad");
    private static final String FULL = ConnectorFixtures.FULL;

    private static ConnectorsConfig parse(String text) {
        return ConnectorsConfigParser.parse(text.getBytes(StandardCharsets.UTF_8), POPS);
    }

    private static ScenarioError refused(String text) {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> parse(text));
        return e.errors().getFirst();
    }

    @Test
    void thePublishedSchemaUsesOnlyKeywordsTheValidatorEnforces() {
        assertDoesNotThrow(SchemaValidator::connectors);
        assertDoesNotThrow(SchemaValidator::nodeConfig);
    }

    @Test
    void aFullConfigPassesAloneAndInsideANodeConfig() {
        ConnectorsConfig alone = parse(FULL);
        assertEquals(3, alone.cdnLogs().size());
        assertEquals(3, alone.probes().targets().size());
        assertEquals("somechannel", alone.twitch().getFirst().channel());
        ConnectorsConfig nested = parse("{\"name\": \"show\", \"connectors\": " + FULL + "}");
        assertEquals(alone.probes(), nested.probes());
        NodeConfig node = NodeConfigParser.parse(("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "show",
                 "pops": [{"id": "fra", "region": "eu"}, {"id": "par", "region": "eu"}, {"id": "iad", "region": "us"}],
                 "connectors": %s}""".formatted(FULL)).getBytes(StandardCharsets.UTF_8));
        assertEquals(alone.twitch(), node.connectors().twitch());
        assertEquals(alone.cdnLogs().get(2).fields(), node.connectors().cdnLogs().get(2).fields());
    }

    @Test
    void theDefaultsAreTheConnectorsOwn() {
        ConnectorsConfig c = parse("""
                {"probes": {"intervalMillis": 1000, "targets": [{"pop": "fra", "url": "https://fra.example.com/"}]},
                 "cdnLogs": [{"name": "cf", "secret": "s", "pops": {"FRA": "fra"}, "fields": {"pop": "p", "latency": "l"}}]}""");
        assertEquals(1000L, c.probes().timeoutMillis(), "the timeout follows a short interval, as the binder sets it");
        assertEquals(20, c.probes().count());
        assertEquals("custom", c.cdnLogs().getFirst().format());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown field, with did-you-mean | {"obs": {"prot": 4455}} | $.obs.prot | 1 | did you mean 'port'?
            a wrong type on its own line         | {\\n "obs": {\\n  "port": "4455"}} | $.obs.port | 3 | must be an integer
            a format that is no preset           | {"cdnLogs": [{"name": "cf", "format": "cloudflair", "secret": "s", "pops": {"FRA": "fra"}}]} | $.cdnLogs[0].format | 1 | did you mean 'cloudflare'?
            an empty PoP mapping                 | {"cdnLogs": [{"name": "cf", "secret": "s", "pops": {}}]} | $.cdnLogs[0].pops | 1 | at least 1 entries
            a PoP id that is no id               | {"cdnLogs": [{"name": "cf", "secret": "s", "pops": {"FRA": "Frankfurt"}}]} | $.cdnLogs[0].pops.FRA | 1 | a PoP id of the node
            a missing secret                     | {"chatWebhooks": [{"name": "yt"}]} | $.chatWebhooks[0].secret | 1 | required field is missing
            a name that cannot be a path         | {"chatWebhooks": [{"name": "you tube", "secret": "s"}]} | $.chatWebhooks[0].name | 1 | letters, digits
            a probe count over 100               | {"probes": {"count": 101, "targets": [{"pop": "fra", "url": "https://a.example/"}]}} | $.probes.count | 1 | between 1 and 100
            a probe URL of another scheme        | {"probes": {"targets": [{"pop": "fra", "url": "ftp://a.example/"}]}} | $.probes.targets[0].url | 1 | http:// or https://
            a TCP target without a port          | {"probes": {"targets": [{"pop": "fra", "tcp": "a.example"}]}} | $.probes.targets[0].tcp | 1 | host:port
            a Twitch channel that is no login    | {"twitch": [{"channel": "a"}]} | $.twitch[0].channel | 1 | login name
            an OBS poll too fast                 | {"obs": {"pollMillis": 10}} | $.obs.pollMillis | 1 | between 250
            a flood of probes (the binder)       | {"probes": {"count": 100, "intervalMillis": 1000, "targets": [{"pop": "fra", "url": "https://a.example/"}, {"pop": "par", "url": "https://b.example/"}, {"pop": "iad", "url": "https://c.example/"}]}} | $.probes | 1 | 300 probes/s
            a probe target of neither kind       | {"probes": {"targets": [{"pop": "fra"}]}} | $.probes.targets[0] | 1 | needs url, tcp or both
            """)
    void aBadConfigNamesThePathAndLine(String what, String text, String path, int line, String says) {
        ScenarioError e = refused(text.replace("\\n", "\n"));
        assertEquals(path, e.path(), e.toString());
        assertEquals(line, e.line(), e.toString());
        assertTrue(e.message().contains(says), e.toString());
    }

    @Test
    void insideANodeConfigTheErrorNamesItsPathAndLineThere() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> NodeConfigParser.parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "show",
                 "pops": [{"id": "fra", "region": "eu"}],
                 "connectors": {
                   "obs": {"port": 99999}}}""".getBytes(StandardCharsets.UTF_8)));
        ScenarioError error = e.errors().getFirst();
        assertEquals("$.connectors.obs.port", error.path());
        assertEquals(4, error.line());
    }

    @Test
    void aPopTheNodeDoesNotHaveIsRefusedNamingTheConnectorTheMappingAndThePop() {
        ScenarioValidationException e = assertThrows(ScenarioValidationException.class, () -> NodeConfigParser.parse("""
                {"$schema": "https://edgedeck.io/schema/node-config-v1.json", "name": "show",
                 "pops": [{"id": "fra", "region": "eu"}, {"id": "par", "region": "eu"}],
                 "connectors": {
                   "cdnLogs": [{"name": "cloudflare", "format": "cloudflare", "secret": "s",
                                "pops": {"FRA": "fra", "CDG": "parr"}}],
                   "probes": {"targets": [{"pop": "fra", "url": "https://fra.example/"},
                                          {"pop": "syd", "url": "https://syd.example/"}]}}}""".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, e.errors().size(), e.errors().toString());
        ScenarioError cdn = e.errors().get(0);
        assertEquals("$.connectors.cdnLogs[0].pops.CDG", cdn.path());
        assertEquals(5, cdn.line());
        assertTrue(cdn.message().contains("'cloudflare'") && cdn.message().contains("'parr'")
                && cdn.message().endsWith("did you mean 'par'?"), cdn.message());
        ScenarioError probe = e.errors().get(1);
        assertEquals("$.connectors.probes.targets[1].pop", probe.path());
        assertEquals(7, probe.line());
        assertTrue(probe.message().contains("probes connector") && probe.message().contains("'syd'")
                && !probe.message().contains("did you mean"), probe.message());
    }

    @Test
    void theNodeConfigSchemaCitesTheConnectorsSchemaAndTheDocsCiteIt() throws Exception {
        Path resources = Path.of("src", "main", "resources", "io", "edgedeck", "simulator", "scenario");
        assertTrue(Files.readString(resources.resolve("node-config.schema.json")).contains("\"$ref\": \"connectors-v1.json\""));
        assertTrue(Files.readString(resources.resolve("connectors.schema.json"))
                .contains("\"$id\": \"https://edgedeck.io/schema/connectors-v1.json\""));
        assertTrue(Files.readString(Path.of("..", "docs", "CONNECTORS.md"))
                .contains("simulator/src/main/resources/io/edgedeck/simulator/scenario/connectors.schema.json"));
    }
}
