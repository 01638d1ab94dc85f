package io.edgedeck.simulator.server;

import io.edgedeck.client.BuildStamp;

/**
 * Which build this program is: the version its jar's manifest gives ({@code Implementation-Version}, the Maven
 * project's version) and the git commit the build was made from ({@code Build-Commit}, set when the build is given
 * {@code -Dedgedeck.commit=SHA}). What {@code --version} prints and what a node answers at {@code GET /api/v1/node}.
 */
public final class NodeBuild {
    /** What a build run from classes rather than its jar says for its version: it has no manifest to say one. */
    public static final String UNPACKAGED = BuildStamp.UNPACKAGED;

    private static final BuildStamp BUILD = BuildStamp.of(NodeBuild.class);

    private NodeBuild() {
    }

    public static String version() {
        return BUILD.version();
    }

    /** The build's git commit, or null when the build recorded none. */
    public static String commit() {
        return BUILD.commit();
    }

    /** What {@code GET /api/v1/node} answers for a program in {@code mode} that starts serving now. */
    public static io.edgedeck.client.model.NodeInfo info(String mode) {
        return info(mode, null);
    }

    /** The same, for a node whose restart {@code restart} describes (see {@code NodeInfo.restart}), or null. */
    public static io.edgedeck.client.model.NodeInfo info(String mode, String restart) {
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        return new io.edgedeck.client.model.NodeInfo(version(), commit(), now, mode, restart);
    }
}
