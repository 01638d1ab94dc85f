package io.edgedeck.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's contract gaps, each against a real node: unbounded and fractional numbers, the JDK
 * server's HTML error pages for malformed requests, and HEAD.
 */
class ContractGapsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static LiveNode live;

    @BeforeAll
    static void start() throws Exception {
        live = LiveNode.start(dataDir, 2);
        LiveNode.await("a first frame", () -> live.node.latestFrame() != null);
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    private static String cue(String type, String magnitude) {
        return "{\"type\":\"" + type + "\",\"pops\":[\"fra\"]," + (magnitude == null ? "" : "\"magnitude\":" + magnitude + ",")
                + "\"durationSeconds\":1,\"operator\":\"maya\"}";
    }

    private static void assertInvalid(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(field, JSON.readTree(r.body()).path("field").asText(), r.body());
    }

    @Test
    void aLatencyShiftIsBoundedLikeTheOtherCueMagnitudes() throws Exception {
        assertInvalid(live.send("POST", "/show/cues", cue("latency-shift", "1e308")), "magnitude");
        assertInvalid(live.send("POST", "/show/cues", cue("latency-shift", "-60001")), "magnitude");
        assertEquals(204, live.send("POST", "/show/cues", cue("latency-shift", "60000")).statusCode());
        assertEquals(204, live.send("POST", "/show/cues", cue("latency-shift", "-20")).statusCode());
    }

    @Test
    void aFractionalExpectedVersionIsRefusedNamingTheFieldAndNothingChanges() throws Exception {
        JsonNode flag = JSON.readTree(live.send("GET", "/flags", null).body()).get(0);
        long version = flag.get("version").asLong();
        assertInvalid(live.send("PATCH", "/flags/" + flag.get("key").asText(), "{\"expectedVersion\":" + version
                + ".7,\"scope\":\"global\",\"operator\":\"maya\",\"reason\":\"x\"}"), "expectedVersion");
        assertInvalid(live.send("POST", "/show/cues", "{\"type\":\"pop-outage\",\"pops\":[\"fra\"],\"durationSeconds\":1.5,"
                + "\"operator\":\"maya\"}"), "durationSeconds");
        assertEquals(version, JSON.readTree(live.send("GET", "/flags", null).body()).get(0).get("version").asLong());
    }

    @Test
    void aQueryParameterSentTwiceIsRefusedNamingIt() throws Exception {
        assertInvalid(live.send("GET", "/pops/fra/history?from=0&from=10", null), "from");
        assertInvalid(live.send("GET", "/requests?state=pending&state=applied", null), "state");
        assertInvalid(live.send("GET", "/audit?kind=flag&person=maya&kind=guardrail", null), "kind");
        assertEquals(200, live.send("GET", "/pops/fra/history?from=0&to=10", null).statusCode());
        assertEquals(200, live.send("GET", "/requests?state=pending", null).statusCode());
    }

    @Test
    void magnitudeMayBeLeftOutWhereTheCueNeedsNoneAndIsNamedWhereItDoes() throws Exception {
        assertEquals(204, live.send("POST", "/show/cues", cue("pop-outage", null)).statusCode());
        assertInvalid(live.send("POST", "/show/cues", cue("jitter-storm", null)), "magnitude");
        assertInvalid(live.send("POST", "/show/cues", cue("loss", "null")), "magnitude");
    }

    @Test
    void aSentimentShiftWithoutItsFlagOrVariantIsRefusedNamingIt() throws Exception {
        assertInvalid(live.send("POST", "/show/cues", "{\"type\":\"sentiment-shift\",\"durationSeconds\":3}"), "flag");
        assertInvalid(live.send("POST", "/show/cues", "{\"type\":\"sentiment-shift\",\"durationSeconds\":3,"
                + "\"flag\":\"checkout-button\"}"), "variant");
        assertEquals(200, live.send("GET", "/flags", null).statusCode(), "the engine goes on");
        assertEquals(204, live.send("POST", "/show/cues", "{\"type\":\"sentiment-shift\",\"durationSeconds\":3,"
                + "\"flag\":\"checkout-button\",\"variant\":\"treatment\"}").statusCode());
    }

    /**
     * Requests the HTTP parser itself refuses, before any route (an unknown HTTP version is a 505):
     * each is a problem document, not an HTML page.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "POST /api/v1/show/pause HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            "POST /api/v1/show/pause HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "POST /api/v1/show/pause HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "GET /api/v1/flags/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /healthz%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/flags/%c3%28 HTTP/1.1\r\nHost: x\r\n\r\n",
            "G(T /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /healthz HTTP/7.1\r\nHost: x\r\n\r\n",
            "GET /healthz\r\n\r\n",
            "POST /api/v1/show/pause HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "BIG"})
    void aMalformedRequestIsAnsweredWithAProblemDocument(String request) throws Exception {
        String sent = request.equals("BIG")
                ? "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(20 * 1024) + "\r\n\r\n" : request;
        RawHttp.Answer a = RawHttp.exchange(live.node.port(), sent.replace("Host: x", "Host: x\r\nAuthorization: Bearer " + live.token));
        assertTrue(a.status() >= 400 && a.status() < 500 || a.status() == 505, "a client error, not a failure: " + a.status() + " " + a.body());
        assertEquals("application/problem+json", a.header("Content-Type"), a.headers() + " " + a.body());
        JsonNode problem = JSON.readTree(a.body());
        assertEquals(a.status(), problem.get("status").asInt(), a.body());
        assertTrue(problem.get("type").asText().startsWith("urn:edgedeck:problem:"), a.body());
        assertTrue(!problem.get("detail").asText().isBlank(), a.body());
    }

    /** The parser's refusals that have a status of their own are typed and titled as that status, as docs/API.md lists them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET /healthz HTTP/2.0^Host: x^^|426|http-version",
            "GET /healthz HTTP/7.1^Host: x^^|505|http-version",
            "GET /healthz HTTP/1.1^Host: x^Expect: 100-banana^^|417|expectation-failed"})
    void aRefusalWithAStatusOfItsOwnSaysWhichInItsType(String request, int status, String type) throws Exception {
        RawHttp.Answer a = RawHttp.exchange(live.node.port(), request.replace("^", "\r\n"));
        assertEquals(status, a.status(), a.body());
        assertEquals("urn:edgedeck:problem:" + type, JSON.readTree(a.body()).get("type").asText(), a.body());
    }

    /**
     * Where the parser's refusal shows which part of the request is at fault (a bad escape in the
     * path, a control character in a header, no Host), the problem's {@code field} names it.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET /api/v1/flags/%zz HTTP/1.1^Host: x^^|path|two hex digits",
            "GET /api/v1/flags/%00 HTTP/1.1^Host: x^^|path|not allowed",
            "GET /api/v1/flags/%ff HTTP/1.1^Host: x^^|path|UTF-8",
            "GET /api/v1/flags#top HTTP/1.1^Host: x^^|path|Fragment",
            "CONNECT /api/v1/flags HTTP/1.1^Host: x^^|path|CONNECT",
            "GET /api/v1/flags HTTP/1.1^Connection: close^^|Host|Host",
            "GET /api/v1/flags HTTP/1.1^Host: x^X-Trace: a<01>b^^|headers|Illegal character",
            "POST /api/v1/show/pause HTTP/1.1^Host: x^Expect: teapot^Content-Length: 2^^{}|Expect|Expect",
            "<TLS> HTTP/1.1^^|method|Illegal character"})
    void aMalformedRequestNamesThePartAtFault(String request, String field, String detail) throws Exception {
        // '^' stands for CRLF, <01> for a control character, <TLS> for the first bytes of a TLS handshake.
        String sent = request.replace("^", "\r\n").replace("<01>", "\u0001").replace("<TLS>", "\u0016\u0003\u0001\u0000");
        RawHttp.Answer a = RawHttp.exchange(live.node.port(), sent);
        assertTrue(a.status() >= 400 && a.status() < 500, a.status() + " " + a.body());
        assertEquals("application/problem+json", a.header("Content-Type"), a.headers() + " " + a.body());
        JsonNode problem = JSON.readTree(a.body());
        assertEquals(field, problem.path("field").asText(), a.body());
        assertTrue(problem.get("detail").asText().contains(detail), a.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /api/v1/flags/", "PATCH /api/v1/flags/", "GET /api/v1/requests/", "GET /api/v1/pops//history"})
    void aPathWithAnEmptyParameterIsNoPathOfTheApi(String request) throws Exception {
        String[] parts = request.split(" ");
        HttpResponse<String> r = live.send(parts[0], parts[1].substring("/api/v1".length()), "{}");
        assertTrue(r.statusCode() == 404 || r.statusCode() == 400, r.statusCode() + " " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        JsonNode problem = JSON.readTree(r.body());
        if (r.statusCode() == 404) {
            assertTrue(problem.get("detail").asText().startsWith("no such resource"), r.body());
        } else {
            assertEquals("path", problem.get("field").asText(), r.body());
        }
    }

    @Test
    void anUnknownMethodIs405NamingTheOnesThatExist() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(live.node.port(), "BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(405, a.status());
        assertEquals("GET, HEAD", a.header("Allow"));
        assertEquals("application/problem+json", a.header("Content-Type"));
    }

    @Test
    void headAnswersWhereverGetDoesWithTheSameHeadersAndNoBody() throws Exception {
        Map<String, String> auth = Map.of(
                "/healthz", "",
                "/api/v1/pops", live.token, "/api/v1/flags", live.token, "/api/v1/guardrails", live.token,
                "/api/v1/audit", live.token, "/api/v1/frames/latest", live.token, "/api/v1/frames/stream", live.token,
                "/metrics", live.readKey(), "/ofrep/v1/configuration", live.readKey());
        for (String path : List.copyOf(auth.keySet())) {
            String key = auth.get(path);
            String headers = "Host: x\r\n" + (key.isEmpty() ? "" : "Authorization: Bearer " + key + "\r\n");
            RawHttp.Answer head = RawHttp.exchange(live.node.port(), "HEAD " + path + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n", false);
            assertEquals(200, head.status(), "HEAD " + path);
            if (!path.endsWith("/stream")) {
                RawHttp.Answer get = RawHttp.exchange(live.node.port(), "GET " + path + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n");
                assertEquals(get.header("Content-Type"), head.header("Content-Type"), path);
            } else {
                assertTrue(head.header("Content-Type").startsWith("text/event-stream"), head.headers().toString());
            }
        }
    }
}
