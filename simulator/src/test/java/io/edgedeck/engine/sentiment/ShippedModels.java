package io.edgedeck.engine.sentiment;

import io.edgedeck.simulator.chat.PhraseLanguages;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/**
 * {@link ChatLanguage} as the runnable jars run it: Lingua's classes and the engine's sentiment package
 * defined afresh, seeing Lingua's models as the jars ship them (the six languages' trigrams;
 * simulator/pom.xml) and nothing else. The build's test classpath holds all of Lingua's models, with which
 * some lines come out differently, so a test of a verdict Lingua decides asks this.
 */
public final class ShippedModels extends ClassLoader {

    private static final class Holder {
        static final ShippedModels LOADER = new ShippedModels(ShippedModels.class.getClassLoader());
        static final Object LANGUAGE;
        static final Method OF;

        static {
            try {
                Class<?> languageClass = LOADER.loadClass(ChatLanguage.class.getName());
                LANGUAGE = languageClass.getConstructor().newInstance();
                OF = languageClass.getMethod("of", String.class, Set.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private ShippedModels(ClassLoader parent) {
        super(parent);
    }

    /** A class loader that sees Lingua's models as the runnable jars ship them. */
    public static ClassLoader loader() {
        return Holder.LOADER;
    }

    /** The line's verdict, with no emote marks, as the runnable jars give it. */
    public static ChatLanguage.Verdict of(String line) {
        try {
            Object v = Holder.OF.invoke(Holder.LANGUAGE, line, Set.of());
            Class<?> verdict = v.getClass();
            return new ChatLanguage.Verdict((String) verdict.getMethod("language").invoke(v),
                    (boolean) verdict.getMethod("readable").invoke(v), (boolean) verdict.getMethod("detected").invoke(v));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run ChatLanguage with the shipped models", e);
        }
    }

    /** What {@code sentiment --evaluate --development-only} prints as its "language gate" section, with the shipped models. */
    public static String gateReport() {
        try {
            Method report = Holder.LOADER.loadClass(SentimentEvaluation.class.getName()).getDeclaredMethod("reportGate", java.io.PrintStream.class);
            report.setAccessible(true);
            var bytes = new java.io.ByteArrayOutputStream();
            report.invoke(null, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run the gate's evaluation with the shipped models", e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("io.edgedeck.engine.sentiment.") && !name.startsWith("com.github.pemistahl.lingua.")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    c = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (name.startsWith("language-models/")
                && PhraseLanguages.SHIPPED.stream().noneMatch(l -> name.equals("language-models/" + l + "/trigrams.json"))) {
            return null;
        }
        return getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        URL url = getResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
    }
}
