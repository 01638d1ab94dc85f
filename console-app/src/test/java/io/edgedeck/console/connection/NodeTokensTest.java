package io.edgedeck.console.connection;

import io.edgedeck.client.ConnectionStatus;
import io.edgedeck.client.http.HttpEdgeConnection;
import io.edgedeck.simulator.scenario.ScenarioCatalog;
import io.edgedeck.simulator.server.EdgeNode;
import io.edgedeck.simulator.show.ShowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16 point 6: one console, two real nodes, and each node gets its own token only. */
class NodeTokensTest {

    private static EdgeNode node(Path dir) throws Exception {
        ShowDefinition show = ShowDefinition.of(ScenarioCatalog.resolve("steady-show"));
        return EdgeNode.start(new EdgeNode.Config(show, 1, InetAddress.getLoopbackAddress(), 0, dir));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void twoNodesOneConsoleEachGetsOnlyItsOwnToken(@TempDir Path dir) throws Exception {
        NodeTokens tokens = new NodeTokens(dir.resolve("config/tokens.json"));
        try (EdgeNode a = node(dir.resolve("a")); EdgeNode b = node(dir.resolve("b"))) {
            String tokenA = tokens.token(a.baseUri(), a.tokenFile(), false);
            String tokenB = tokens.token(b.baseUri(), b.tokenFile(), false);
            assertNotEquals(tokenA, tokenB);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens.file())));

            // later runs: --connect alone finds each node's own token
            assertEquals(tokenA, tokens.token(a.baseUri(), null, false));
            assertEquals(tokenB, tokens.token(b.baseUri(), null, false));
            try (HttpEdgeConnection toA = HttpEdgeConnection.open(a.baseUri(), tokens.token(a.baseUri(), null, false));
                 HttpEdgeConnection toB = HttpEdgeConnection.open(b.baseUri(), tokens.token(b.baseUri(), null, false));
                 HttpEdgeConnection crossed = HttpEdgeConnection.open(b.baseUri(), tokenA)) {
                await("both nodes accept the token the console sends them", () -> toA.status().online() && toB.status().online());
                await("a node refuses the other node's token", () -> crossed.status().state() == ConnectionStatus.State.OFFLINE);
            }
            String stored = Files.readString(tokens.file());
            assertTrue(stored.contains(NodeTokens.key(a.baseUri())) && stored.contains(NodeTokens.key(b.baseUri())), "one entry per node");
        }
    }

    @Test
    void aNodeTheConsoleHasNoTokenForGetsNoneAndHearsNothing(@TempDir Path dir) throws Exception {
        NodeTokens tokens = new NodeTokens(dir.resolve("tokens.json"));
        Path known = Files.writeString(dir.resolve("known-token"), "abc_DEF-123\n");
        tokens.token(URI.create("http://127.0.0.1:8787"), known, false);
        try (ServerSocket stranger = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI other = URI.create("http://127.0.0.1:" + stranger.getLocalPort());
            IOException e = assertThrows(IOException.class, () -> tokens.token(other, null, false));
            assertTrue(e.getMessage().startsWith("--connect http://127.0.0.1:" + stranger.getLocalPort() + ": no token for this node"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("--token-file"), e.getMessage());
            assertFalse(e.getMessage().contains("abc_DEF-123"), "a message never carries a token");
            stranger.setSoTimeout(200);
            assertThrows(java.net.SocketTimeoutException.class, stranger::accept, "nothing connected to the stranger");
        }
        assertEquals("abc_DEF-123", tokens.token(URI.create("http://127.0.0.1:8787/"), null, false), "the known node still has its own");
    }

    @Test
    void aMissingTokenFileIsNamedAsThatOption(@TempDir Path dir) {
        NodeTokens tokens = new NodeTokens(dir.resolve("tokens.json"));
        IOException e = assertThrows(IOException.class, () -> tokens.token(URI.create("http://127.0.0.1:8787"),
                dir.resolve("nonexistent"), false));
        assertEquals("--token-file " + dir.resolve("nonexistent") + ": no such file", e.getMessage());
    }

    /**
     * A token file with a second line, a tab or bytes that are not ASCII is named as not holding a token, before anything
     * is sent, and the good token remembered for the node stays remembered.
     */
    @Test
    void aFileThatHoldsNoTokenIsNamedAndTheRememberedOneIsKept(@TempDir Path dir) throws Exception {
        NodeTokens tokens = new NodeTokens(dir.resolve("tokens.json"));
        URI node = URI.create("http://127.0.0.1:8787");
        tokens.token(node, Files.writeString(dir.resolve("good"), "abc_DEF-123\n"), false);
        byte[][] notTokens = {"abc_DEF-123\nsecond line\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "abc\tDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), {(byte) 0xff, (byte) 0xfe, 'a', 'b', 'c'},
                "a".repeat(5000).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "abc DEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)};
        for (byte[] content : notTokens) {
            Path file = Files.write(dir.resolve("bad"), content);
            IOException e = assertThrows(IOException.class, () -> tokens.token(node, file, false));
            assertEquals("--token-file " + file + " does not hold a token (one line of printable characters)", e.getMessage());
            assertEquals("abc_DEF-123", tokens.token(node, null, false), "the token remembered for the node is kept");
        }
    }

    @Test
    void aTokenGoesOverPlainHttpBeyondThisMachineOnlyWithInsecure(@TempDir Path dir) throws Exception {
        NodeTokens tokens = new NodeTokens(dir.resolve("tokens.json"));
        Path file = Files.writeString(dir.resolve("t"), "tok\n");
        // 192.0.2.0/24 is reserved for documentation: the check refuses before any connection is tried
        URI remote = URI.create("http://192.0.2.10:8787");
        IOException e = assertThrows(IOException.class, () -> tokens.token(remote, file, false));
        assertTrue(e.getMessage().contains("--insecure") && e.getMessage().contains("https://"), e.getMessage());
        assertFalse(Files.exists(tokens.file()), "nothing remembered for a refused node");
        assertEquals("tok", tokens.token(remote, file, true));
        URI overTls = URI.create("https://192.0.2.10:8787");
        assertEquals("tok", tokens.token(overTls, file, false), "over https no --insecure is needed");
        assertEquals("tok", tokens.token(overTls, null, false));
        assertThrows(IOException.class, () -> tokens.token(URI.create("https://192.0.2.10:8788"), null, false),
                "another port is another node");
    }
}
