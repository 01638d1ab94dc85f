package io.edgedeck.simulator.server;

import io.edgedeck.simulator.server.http.PemTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node serving HTTPS from PEM files, as one bound beyond loopback would, with a certificate made here by keytool. */
class TlsTest {
    private static final char[] STORE_PASSWORD = "test-only".toCharArray();

    /** A self-signed EC certificate for 127.0.0.1 and its key, as PEM files; the PKCS #12 store they came from. */
    private record Pem(Path certificate, Path key, Path store) {
    }

    private static Pem makeCertificate(Path dir) throws Exception {
        Path store = dir.resolve("node.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD)).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, said);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD);
        }
        PrivateKey key = (PrivateKey) ks.getKey("node", STORE_PASSWORD);
        Certificate cert = ks.getCertificate("node");
        Path certFile = Files.writeString(dir.resolve("node.crt"), pem("CERTIFICATE", cert.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("node.key"), pem("PRIVATE KEY", key.getEncoded()));
        return new Pem(certFile, keyFile, store);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static HttpClient trusting(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void aNodeServesItsApiOverHttpsFromPemFiles(@TempDir Path dir) throws Exception {
        Pem pem = makeCertificate(dir);
        try (LiveNode live = LiveNode.start(dir.resolve("data"), 2, 0,
                c -> c.withTls(new EdgeNode.Tls(pem.certificate(), pem.key())))) {
            URI base = live.base();
            assertEquals("https", base.getScheme());
            HttpClient https = trusting(pem.store());
            HttpResponse<String> flags = https.send(HttpRequest.newBuilder(base.resolve("/api/v1/flags"))
                    .header("Authorization", "Bearer " + live.token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, flags.statusCode(), flags.body());
            HttpResponse<String> none = https.send(HttpRequest.newBuilder(base.resolve("/api/v1/flags")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + live.node.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()), "no plain HTTP on a TLS port");
        }
    }

    @Test
    void unusableKeyFilesAreRefusedWithWhatToRun(@TempDir Path dir) throws Exception {
        Pem pem = makeCertificate(dir);
        Path pkcs1 = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        var e = assertThrows(PemTls.TlsFileException.class, () -> PemTls.serverContext(pem.certificate(), pkcs1));
        assertTrue(e.getMessage().contains("PKCS #1") && e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
        var missing = assertThrows(PemTls.TlsFileException.class, () -> PemTls.serverContext(dir.resolve("none.crt"), pem.key()));
        assertTrue(missing.getMessage().startsWith("--tls-cert ") && missing.getMessage().endsWith("no such file"), missing.getMessage());
        var notACert = assertThrows(PemTls.TlsFileException.class, () -> PemTls.serverContext(pem.key(), pem.key()));
        assertTrue(notACert.getMessage().startsWith("--tls-cert "), notACert.getMessage());
        List<String> lines = Files.readAllLines(pem.key());
        assertTrue(lines.getFirst().equals("-----BEGIN PRIVATE KEY-----"), "the test's key is PKCS #8, as the node wants");
    }
}
