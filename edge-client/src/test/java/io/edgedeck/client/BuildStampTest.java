package io.edgedeck.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A build's version and commit are read from the jar that holds the program's class, as -Dedgedeck.commit=SHA left them. */
class BuildStampTest {

    /** A jar holding this class, with the manifest a build writes; the class loaded from it says what the jar does. */
    private static String describedFrom(Path jar, String commit) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "9.9.9");
        manifest.getMainAttributes().putValue("Build-Commit", commit);
        String name = BuildStamp.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest);
             InputStream own = BuildStamp.class.getClassLoader().getResourceAsStream(name)) {
            zip.putNextEntry(new JarEntry(name));
            own.transferTo(zip);
            zip.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> packaged = loader.loadClass(BuildStamp.class.getName());
            Object stamp = packaged.getMethod("of", Class.class).invoke(null, packaged);
            return (String) packaged.getMethod("describe", String.class).invoke(stamp, "edgedeck-console");
        }
    }

    @Test
    void aJarBuiltWithACommitSaysItsVersionAndCommit(@TempDir Path dir) throws Exception {
        assertEquals("edgedeck-console 9.9.9 (commit 1a2b3c4)", describedFrom(dir.resolve("with.jar"), "1a2b3c4"));
        assertEquals("edgedeck-console 9.9.9", describedFrom(dir.resolve("without.jar"), ""), "a build given no commit records an empty one");
    }

    @Test
    void runFromClassesItSaysSoAndNamesNoCommit() {
        assertEquals(new BuildStamp(BuildStamp.UNPACKAGED, null), BuildStamp.of(BuildStampTest.class));
    }
}
