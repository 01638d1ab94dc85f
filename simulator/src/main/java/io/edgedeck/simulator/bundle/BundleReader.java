package io.edgedeck.simulator.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.ShowEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a bundle back, trusting nothing in it: entry names that would leave the bundle, entries
 * that unpack to more than {@value BundleFormat#MAX_ENTRY_BYTES} bytes (whatever their headers
 * claim), missing files, a format version this code does not know, and malformed CSV or JSON each
 * fail with a {@link BundleException} naming the file, the entry and what is wrong. Nothing is
 * unpacked to disk. Blocking file I/O: call it off the FX thread.
 */
public final class BundleReader {

    private BundleReader() {
    }

    public static Bundle read(Path file) throws BundleException {
        String where = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new BundleException(where + ": no such file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return read(zip, where);
        } catch (BundleException e) {
            throw e;
        } catch (ZipException e) {
            throw new BundleException(where + " is not a zip archive, or it is truncated (" + e.getMessage() + ")", e);
        } catch (NoSuchFileException e) {
            throw new BundleException(where + ": no such file", e);
        } catch (IOException e) {
            throw new BundleException(where + " could not be read: " + e.getMessage(), e);
        }
    }

    private static Bundle read(ZipFile zip, String where) throws IOException {
        Map<String, ZipEntry> entries = new HashMap<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry e = all.nextElement();
            checkName(e.getName(), where);
            if (entries.size() >= BundleFormat.MAX_ENTRIES) {
                throw new BundleException(where + " has more than " + BundleFormat.MAX_ENTRIES + " entries; a bundle has a few dozen");
            }
            entries.put(e.getName(), e);
        }
        Budget budget = new Budget();
        if (!entries.containsKey(BundleFormat.MANIFEST)) {
            throw new BundleException(where + " has no " + BundleFormat.MANIFEST + ": it is not an EdgeDeck diagnostic bundle");
        }
        BundleManifest manifest = json(zip, entries, BundleFormat.MANIFEST, where, budget, new TypeReference<>() { });
        if (manifest.formatVersion() != BundleFormat.VERSION) {
            throw new BundleException(where + " is bundle format " + manifest.formatVersion() + "; this version of EdgeDeck reads format "
                    + BundleFormat.VERSION + " only");
        }
        if (manifest.entries() == null || manifest.pops() == null || manifest.heatmapEdgesMs() == null
                || manifest.heatmapEdgesMs().length < 2) {
            throw new BundleException(where + ": " + BundleFormat.MANIFEST + " lacks its entries, pops or heatmapEdgesMs");
        }
        for (BundleManifest.Entry e : manifest.entries()) {
            checkName(e.name(), where);
            if (!entries.containsKey(e.name())) {
                throw new BundleException(where + ": " + BundleFormat.MANIFEST + " lists " + e.name()
                        + " but the zip has no such entry; the bundle is incomplete");
            }
        }
        for (String required : List.of(BundleFormat.EVENTS, BundleFormat.AUDIT, BundleFormat.FLAGS)) {
            if (!entries.containsKey(required)) {
                throw new BundleException(where + " has no " + required + "; the bundle is incomplete");
            }
        }
        Map<String, PopHistory> history = new LinkedHashMap<>();
        for (String pop : manifest.pops()) {
            String name = BundleFormat.historyEntry(pop);
            checkName(name, where);
            if (!entries.containsKey(name)) {
                throw new BundleException(where + " has no " + name + " for PoP " + pop + "; the bundle is incomplete");
            }
            String text = new String(bytes(zip, entries.get(name), where, budget), StandardCharsets.UTF_8);
            history.put(pop, BundleFormat.fromCsv(pop, text, manifest.heatmapEdgesMs(), where + ": " + name));
        }
        List<ShowEvent> events = json(zip, entries, BundleFormat.EVENTS, where, budget, new TypeReference<>() { });
        List<AuditEntry> audit = json(zip, entries, BundleFormat.AUDIT, where, budget, new TypeReference<>() { });
        List<FlagView> flags = json(zip, entries, BundleFormat.FLAGS, where, budget, new TypeReference<>() { });
        MetricsFrame frame = entries.containsKey(BundleFormat.FRAME)
                ? json(zip, entries, BundleFormat.FRAME, where, budget, new TypeReference<>() { }) : null;
        Map<String, byte[]> snapshots = new LinkedHashMap<>();
        for (BundleManifest.Entry e : manifest.entries()) {
            if (e.name().startsWith(BundleFormat.SNAPSHOT_DIR) && e.name().endsWith(".png")) {
                snapshots.put(e.name().substring(BundleFormat.SNAPSHOT_DIR.length()), bytes(zip, entries.get(e.name()), where, budget));
            }
        }
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        for (BundleManifest.Entry e : manifest.entries()) {
            if (BundleFormat.DIAGNOSTICS.containsKey(e.name())) {
                diagnostics.put(e.name(), json(zip, entries, e.name(), where, budget,
                        new TypeReference<com.fasterxml.jackson.databind.JsonNode>() { }));
            }
        }
        return new Bundle(manifest, history, events == null ? List.of() : events, audit == null ? List.of() : audit,
                flags == null ? List.of() : flags, frame, snapshots, diagnostics);
    }

    /** Names are only looked up, never extracted, but one that would climb out says the zip is hostile. */
    private static void checkName(String name, String where) throws BundleException {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")
                || name.contains("\0") || java.util.Arrays.asList(name.split("/")).contains("..")) {
            throw new BundleException(where + ": entry '" + name + "' has a path that leaves the bundle; refusing to read it");
        }
    }

    private static <T> T json(ZipFile zip, Map<String, ZipEntry> entries, String name, String where, Budget budget,
                              TypeReference<T> type) throws BundleException {
        byte[] bytes = bytes(zip, entries.get(name), where, budget);
        try {
            return BundleFormat.JSON.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw new BundleException(where + ": " + name + " is not what EdgeDeck writes there: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new BundleException(where + ": " + name + " could not be read: " + e.getMessage(), e);
        }
    }

    /** What all entries together may unpack to. */
    private static final class Budget {
        long left = BundleFormat.MAX_TOTAL_BYTES;
    }

    /** Reads an entry, counting what actually comes out rather than what its header claims. */
    private static byte[] bytes(ZipFile zip, ZipEntry entry, String where, Budget budget) throws BundleException {
        long cap = Math.min(BundleFormat.MAX_ENTRY_BYTES, budget.left);
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
            if (data.length > cap) {
                throw new BundleException(where + ": entry " + entry.getName() + " unpacks to more than " + cap / (1024 * 1024)
                        + " MB; refusing it (no real bundle entry is that large: the file is damaged or hostile)");
            }
            budget.left -= data.length;
            return data;
        } catch (BundleException e) {
            throw e;
        } catch (IOException e) {
            throw new BundleException(where + ": entry " + entry.getName() + " is damaged (" + e.getMessage() + ")", e);
        }
    }
}
