package io.edgedeck.simulator.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;

/**
 * Which build this program is: the version its jar's manifest gives ({@code Implementation-Version}, the Maven
 * project's version) and the git commit the build was made from ({@code Build-Commit}, set when the build is given
 * {@code -Dedgedeck.commit=SHA}). What {@code --version} prints and what a node answers at {@code GET /api/v1/node}.
 */
public final class NodeBuild {
    /** What a build run from classes rather than its jar says for its version: it has no manifest to say one. */
    public static final String UNPACKAGED = "(unpackaged build)";

    private static final String COMMIT = commitOfManifest();

    private NodeBuild() {
    }

    public static String version() {
        String v = NodeBuild.class.getPackage().getImplementationVersion();
        return v == null ? UNPACKAGED : v;
    }

    /** The build's git commit, or null when the build recorded none. */
    public static String commit() {
        return COMMIT;
    }

    /** What {@code GET /api/v1/node} answers for a program in {@code mode} that starts serving now. */
    public static io.edgedeck.client.model.NodeInfo info(String mode) {
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        return new io.edgedeck.client.model.NodeInfo(version(), commit(), now, mode);
    }

    private static String commitOfManifest() {
        URL own = NodeBuild.class.getResource(NodeBuild.class.getSimpleName() + ".class");
        if (own == null || !"jar".equals(own.getProtocol())) {
            return null;
        }
        String jar = own.toString().substring(0, own.toString().indexOf("!/") + 2);
        try (InputStream in = java.net.URI.create(jar + "META-INF/MANIFEST.MF").toURL().openStream()) {
            String commit = new Manifest(in).getMainAttributes().getValue("Build-Commit");
            return commit == null || commit.isBlank() ? null : commit.trim();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
