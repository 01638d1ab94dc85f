package io.edgedeck.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;

/**
 * Which build a program of EdgeDeck is, from the manifest of the jar that holds a class of it: the version
 * ({@code Implementation-Version}, the Maven project's version) and the git commit the build was made from
 * ({@code Build-Commit}, set when the build is given {@code -Dedgedeck.commit=SHA}). The node and the console each
 * read their own jar's.
 *
 * @param version the version, or {@link #UNPACKAGED} when the program runs from classes rather than its jar
 * @param commit  the build's git commit, or null when the build recorded none
 */
public record BuildStamp(String version, String commit) {
    /** What a build run from classes rather than its jar says for its version: it has no manifest to say one. */
    public static final String UNPACKAGED = "(unpackaged build)";

    /** The build of the jar that holds {@code type}. */
    public static BuildStamp of(Class<?> type) {
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return new BuildStamp(v == null ? UNPACKAGED : v, commitOf(type));
    }

    /** "edgedeck-console 0.1.0 (commit 1a2b3c4)", or without the commit when the build recorded none. */
    public String describe(String program) {
        return program + " " + version + (commit == null ? "" : " (commit " + commit + ")");
    }

    private static String commitOf(Class<?> type) {
        URL own = type.getResource(type.getSimpleName() + ".class");
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
