package io.edgedeck.simulator.server.http;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS from the two PEM files a certificate authority (or {@code openssl}) hands out: the
 * certificate chain, leaf first, and its private key, unencrypted PKCS #8
 * ({@code -----BEGIN PRIVATE KEY-----}, RSA, EC or Ed25519). Anything else is refused with a message
 * that says what to run, never half-loaded.
 */
public final class PemTls {
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    /** A certificate or key file that cannot be used; the message names the file and the fix. */
    public static final class TlsFileException extends Exception {
        TlsFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PemTls() {
    }

    /** Jetty's server-side TLS, holding the chain and key in memory only. */
    public static SslContextFactory.Server serverContext(Path certificate, Path privateKey) throws TlsFileException {
        Certificate[] chain = chain(certificate);
        PrivateKey key = key(privateKey);
        try {
            char[] password = new char[16];
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < password.length; i++) {
                password[i] = (char) ('a' + random.nextInt(26));
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("edgedeck-node", key, password, chain);
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(store);
            tls.setKeyStorePassword(new String(password));
            tls.setKeyManagerPassword(new String(password));
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException("--tls-key " + privateKey + " does not go with --tls-cert " + certificate + ": "
                    + e.getMessage(), e);
        }
    }

    static Certificate[] chain(Path file) throws TlsFileException {
        try (InputStream in = Files.newInputStream(file)) {
            Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
            if (chain.length == 0) {
                throw new TlsFileException("--tls-cert " + file + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)", null);
            }
            return chain;
        } catch (NoSuchFileException e) {
            throw new TlsFileException("--tls-cert " + file + ": no such file", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsFileException("--tls-cert " + file + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    static PrivateKey key(Path file) throws TlsFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TlsFileException("--tls-key " + file + ": no such file", e);
        } catch (IOException e) {
            throw new TlsFileException("--tls-key " + file + " cannot be read: " + e.getMessage(), e);
        }
        Matcher m = PRIVATE_KEY.matcher(text);
        if (!m.find()) {
            String found = text.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key"
                    : text.contains("RSA PRIVATE KEY") ? "a PKCS #1 RSA key"
                    : text.contains("EC PRIVATE KEY") ? "a SEC 1 EC key" : "no private key";
            throw new TlsFileException("--tls-key " + file + " holds " + found + "; the node reads an unencrypted PKCS #8 key"
                    + " (-----BEGIN PRIVATE KEY-----): convert it with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'", null);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new TlsFileException("--tls-key " + file + ": the key's base64 is damaged", e);
        }
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new TlsFileException("--tls-key " + file + " is not an RSA, EC or EdDSA private key this JDK can read", null);
    }
}
