package io.edgedeck.simulator.bundle;

import io.edgedeck.client.analysis.JitterOnset;
import io.edgedeck.client.analysis.LossEpisode;
import io.edgedeck.client.files.OutputFile;
import io.edgedeck.client.analysis.SpanLatency;
import io.edgedeck.client.analysis.WhatChanged;
import io.edgedeck.client.model.AuditEntry;
import io.edgedeck.client.model.FlagView;
import io.edgedeck.client.model.MetricsFrame;
import io.edgedeck.client.model.PopHistory;
import io.edgedeck.client.model.ShowEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes a {@link Bundle} as one zip. Blocking file I/O: call it off the FX thread. */
public final class BundleWriter {

    /** Told after each file written; the calling thread is the writer's. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total, entry) -> { };

        void written(int done, int total, String entry);
    }

    private BundleWriter() {
    }

    /**
     * Describes a bundle's contents in a manifest and puts them together.
     *
     * @param createdBy the program and its version; never a user name or a token
     */
    public static Bundle assemble(String createdBy, String scenario, long seed, String connectionMode, String target,
                                  long engineMillis, Map<String, PopHistory> history, List<ShowEvent> events,
                                  List<AuditEntry> audit, List<FlagView> flags, MetricsFrame frame,
                                  Map<String, byte[]> snapshots) {
        return assemble(createdBy, scenario, seed, connectionMode, target, engineMillis, history, events, audit, flags,
                frame, snapshots, List.of());
    }

    /**
     * As above, for a bundle some of whose parts could not be fetched: each {@code partial} part is
     * named in the manifest (and its entry's description) and at the top of the README.
     */
    public static Bundle assemble(String createdBy, String scenario, long seed, String connectionMode, String target,
                                  long engineMillis, Map<String, PopHistory> history, List<ShowEvent> events,
                                  List<AuditEntry> audit, List<FlagView> flags, MetricsFrame frame,
                                  Map<String, byte[]> snapshots, List<BundleManifest.Gap> partial) {
        return assemble(createdBy, scenario, seed, connectionMode, target, engineMillis, history, events, audit, flags,
                frame, snapshots, Map.of(), partial);
    }

    /**
     * As above, with the node's diagnostics ({@link Bundle#diagnostics()}): each of the files
     * {@link BundleFormat#DIAGNOSTICS} names that {@code diagnostics} holds, written as JSON.
     */
    public static Bundle assemble(String createdBy, String scenario, long seed, String connectionMode, String target,
                                  long engineMillis, Map<String, PopHistory> history, List<ShowEvent> events,
                                  List<AuditEntry> audit, List<FlagView> flags, MetricsFrame frame,
                                  Map<String, byte[]> snapshots, Map<String, Object> diagnostics,
                                  List<BundleManifest.Gap> partial) {
        return assemble(createdBy, scenario, seed, connectionMode, target, engineMillis, history, events, audit, flags,
                frame, snapshots, diagnostics, partial, null);
    }

    /**
     * As above, from a node too old to say which build it runs: {@code nodeVersionUnknown} says so
     * ({@link BundleManifest#nodeVersionUnknown()}), and the bundle is not partial for it.
     */
    public static Bundle assemble(String createdBy, String scenario, long seed, String connectionMode, String target,
                                  long engineMillis, Map<String, PopHistory> history, List<ShowEvent> events,
                                  List<AuditEntry> audit, List<FlagView> flags, MetricsFrame frame,
                                  Map<String, byte[]> snapshots, Map<String, Object> diagnostics,
                                  List<BundleManifest.Gap> partial, String nodeVersionUnknown) {
        for (String name : diagnostics.keySet()) {
            if (!BundleFormat.DIAGNOSTICS.containsKey(name)) {
                throw new IllegalArgumentException("not a diagnostics file of a bundle: " + name);
            }
        }
        Map<String, BundleManifest.Gap> gaps = new java.util.HashMap<>();
        partial.forEach(g -> gaps.put(g.entry(), g));
        java.util.function.BiFunction<String, String, BundleManifest.Entry> entry = (name, description) -> {
            BundleManifest.Gap gap = gaps.get(name);
            return new BundleManifest.Entry(name, gap == null ? description
                    : description + "; " + gap.state().toUpperCase(Locale.ROOT) + ": " + gap.why());
        };
        List<BundleManifest.Entry> entries = new ArrayList<>();
        entries.add(entry.apply(BundleFormat.README, "what each file holds, and the show at a glance"));
        for (String pop : history.keySet()) {
            entries.add(entry.apply(BundleFormat.historyEntry(pop), "latency history of PoP " + pop + " (CSV)"));
        }
        entries.add(entry.apply(BundleFormat.EVENTS, "timeline: faults, flag changes, rollbacks, firings"));
        entries.add(entry.apply(BundleFormat.AUDIT, "audit trail: who changed which flag, when and why"));
        entries.add(entry.apply(BundleFormat.FLAGS, "every flag as it stood"));
        if (frame != null) {
            entries.add(entry.apply(BundleFormat.FRAME, "the newest metrics frame"));
        }
        BundleFormat.DIAGNOSTICS.forEach((name, description) -> {
            if (diagnostics.containsKey(name)) {
                entries.add(entry.apply(name, description));
            }
        });
        for (String name : snapshots.keySet()) {
            entries.add(new BundleManifest.Entry(BundleFormat.SNAPSHOT_DIR + name, "a picture of the console (PNG)"));
        }
        double[] edges = history.values().stream().findFirst().map(PopHistory::bucketEdgesMs)
                .orElse(io.edgedeck.client.analysis.HeatmapBuckets.edgesMs());
        BundleManifest manifest = new BundleManifest(BundleFormat.VERSION, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                createdBy, scenario, seed, connectionMode, target, engineMillis, List.copyOf(history.keySet()), edges, entries,
                partial, diagnostics.containsKey(BundleFormat.NODE) ? null : nodeVersionUnknown);
        return new Bundle(manifest, history, events, audit, flags, frame, snapshots, diagnostics);
    }

    /**
     * Writes the bundle as {@link OutputFile#write} does: through a temporary file beside {@code out}
     * moved into place, a link written through, an existing file's permissions kept; a new bundle is
     * owner-only (it names operators and their reasons).
     */
    public static void write(Bundle bundle, Path out, Progress progress) throws IOException {
        OutputFile.write(out, OutputFile.Access.OWNER_ONLY, file -> {
            ZipOutputStream zip = new ZipOutputStream(file);
            List<BundleManifest.Entry> entries = bundle.manifest().entries();
            int total = entries.size() + 1;
            put(zip, BundleFormat.MANIFEST, BundleFormat.JSON.writeValueAsBytes(bundle.manifest()));
            progress.written(1, total, BundleFormat.MANIFEST);
            int done = 1;
            for (BundleManifest.Entry e : entries) {
                put(zip, e.name(), content(bundle, e.name()));
                progress.written(++done, total, e.name());
            }
            zip.finish();
        });
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] content(Bundle b, String name) throws IOException {
        if (name.startsWith(BundleFormat.HISTORY_DIR)) {
            String pop = name.substring(BundleFormat.HISTORY_DIR.length(), name.length() - ".csv".length());
            return BundleFormat.toCsv(b.history().get(pop)).getBytes(StandardCharsets.UTF_8);
        }
        if (name.startsWith(BundleFormat.SNAPSHOT_DIR)) {
            return b.snapshots().get(name.substring(BundleFormat.SNAPSHOT_DIR.length()));
        }
        if (b.diagnostics().containsKey(name)) {
            return BundleFormat.JSON.writeValueAsBytes(b.diagnostics().get(name));
        }
        return switch (name) {
            case BundleFormat.README -> readme(b).getBytes(StandardCharsets.UTF_8);
            case BundleFormat.EVENTS -> BundleFormat.JSON.writeValueAsBytes(b.events());
            case BundleFormat.AUDIT -> BundleFormat.JSON.writeValueAsBytes(b.audit());
            case BundleFormat.FLAGS -> BundleFormat.JSON.writeValueAsBytes(b.flags());
            case BundleFormat.FRAME -> BundleFormat.JSON.writeValueAsBytes(b.frame());
            default -> throw new IllegalArgumentException("no content for " + name);
        };
    }

    /** How many of the newest audit entries the README spells out; audit.json has them all. */
    static final int RECENT_CHANGES = 10;

    /**
     * The newest changes of the audit trail, newest first, each with who, what, before and after, and why: what the
     * person receiving the bundle asks first ("did anyone change anything?"), without opening audit.json.
     */
    private static void recentChanges(StringBuilder t, Bundle b) {
        List<AuditEntry> audit = b.audit();
        boolean fetched = b.manifest().partial().stream().noneMatch(g -> g.entry().equals(BundleFormat.AUDIT));
        if (audit.isEmpty()) {
            t.append(fetched ? "\nRecent changes: none (the audit trail is empty)\n"
                    : "\nRecent changes: unknown, the audit trail could not be fetched (see PARTIAL BUNDLE above)\n");
            return;
        }
        int shown = Math.min(RECENT_CHANGES, audit.size());
        t.append(shown == audit.size() ? "\nRecent changes (the whole audit trail, newest first):\n"
                : String.format(Locale.ROOT, "%nRecent changes (the newest %d of the %d in audit.json, newest first):%n", shown,
                audit.size()));
        for (int i = audit.size() - 1; i >= audit.size() - shown; i--) {
            AuditEntry e = audit.get(i);
            t.append(String.format(Locale.ROOT, "  %-7s %s %s by %s%n", WhatChanged.clock(e.atMillis() / 1000), e.action(),
                    e.target(), e.actor()));
            t.append("          ").append(e.before()).append(" -> ").append(e.after()).append('\n');
            if (e.reason() != null && !e.reason().isBlank()) {
                t.append("          why: ").append(e.reason()).append('\n');
            }
        }
    }

    /**
     * Which build the node runs, from {@code node.json}; "version unknown" when the node predates the call that says
     * it; "unknown" and why when the node could not be asked (its entry in the manifest's {@code partial} list says
     * why); none when no node made the show (a rehearsal in the program that made the bundle).
     */
    private static String nodeLine(Bundle b) {
        Object node = b.diagnostics().get(BundleFormat.NODE);
        if (node != null) {
            var n = BundleFormat.JSON.convertValue(node, io.edgedeck.client.model.NodeInfo.class);
            return n.describe();
        }
        if (b.manifest().nodeVersionUnknown() != null) {
            return b.manifest().nodeVersionUnknown();
        }
        return b.manifest().partial().stream().filter(g -> g.entry().equals(BundleFormat.NODE)).findFirst()
                .map(g -> "unknown: " + g.why().replaceFirst("^left out: ", ""))
                .orElse("none: the show ran in the program that made this bundle (" + b.manifest().createdBy() + ")");
    }

    static String readme(Bundle b) {
        BundleManifest m = b.manifest();
        StringBuilder t = new StringBuilder();
        t.append("EdgeDeck diagnostic bundle (format ").append(m.formatVersion()).append(")\n\n");
        // A live node's show (a real audience, no planned end) has no seed; its frames say 0.
        boolean liveShow = b.frame() != null && b.frame().durationSeconds() == 0;
        t.append(liveShow ? String.format(Locale.ROOT, "Show      %s, live (a live show has no seed)%n", m.scenario())
                : String.format(Locale.ROOT, "Show      %s, seed %d%n", m.scenario(), m.seed()));
        t.append(String.format(Locale.ROOT, "Source    %s %s%n", m.connectionMode(), m.target()));
        t.append(String.format(Locale.ROOT, "Taken at  engine time %s, %s%n",
                WhatChanged.clock(m.engineMillis() / 1000), m.createdAt()));
        t.append("Made by   ").append(m.createdBy()).append('\n');
        t.append("Node      ").append(nodeLine(b)).append("\n\n");
        if (!m.partial().isEmpty()) {
            t.append("PARTIAL BUNDLE: not everything could be fetched from the source. These parts are partial or\n")
                    .append("missing (also listed under \"partial\" in manifest.json):\n");
            for (BundleManifest.Gap g : m.partial()) {
                t.append("  ").append(g.entry()).append(": ").append(g.state()).append(": ").append(g.why()).append('\n');
            }
            t.append('\n');
        }
        t.append(String.format(Locale.ROOT, "Jitter at a glance (threshold %.0f ms, held for %d s):%n",
                JitterOnset.DEFAULT_THRESHOLD_MS, JitterOnset.DEFAULT_SUSTAIN_SECONDS));
        for (PopHistory h : b.history().values()) {
            SpanLatency whole = SpanLatency.of(h, 0, h.rows());
            if (whole.requests() == 0) {
                // Nothing served, nothing measured: no jitter and no latency, not zeros.
                t.append(String.format(Locale.ROOT, "  %-6s no requests served, so no jitter measured (max jitter –, p99 –), %d lost%n",
                        h.pop(), whole.lost()));
                continue;
            }
            double maxJitter = java.util.Arrays.stream(h.jitterMs()).filter(v -> !Double.isNaN(v)).max().orElse(0);
            t.append(String.format(Locale.ROOT, "  %-6s max jitter %6.1f ms, p99 ~%6.0f ms, %d requests, %d lost (%s); ",
                    h.pop(), maxJitter, whole.p99Ms(), whole.requests(), whole.lost(),
                    LossEpisode.percent(LossEpisode.share(whole.requests(), whole.lost()))));
            var onset = JitterOnset.first(h, JitterOnset.DEFAULT_THRESHOLD_MS, JitterOnset.DEFAULT_SUSTAIN_SECONDS);
            if (onset.isPresent()) {
                t.append("first over at ").append(WhatChanged.clock(onset.get().second())).append('\n');
                for (ShowEvent e : WhatChanged.before(b.events(), h.pop(), onset.get().second())) {
                    t.append("           before it: ").append(WhatChanged.describe(e)).append('\n');
                }
            } else {
                t.append("never over\n");
            }
        }
        t.append(String.format(Locale.ROOT, "%nLoss at a glance (%.0f%% of a second's requests or more, at least %d, held for %d s):%n",
                100 * LossEpisode.DEFAULT_THRESHOLD, LossEpisode.MIN_LOST, LossEpisode.DEFAULT_SUSTAIN_SECONDS));
        for (PopHistory h : b.history().values()) {
            SpanLatency whole = SpanLatency.of(h, 0, h.rows());
            double share = LossEpisode.share(whole.requests(), whole.lost());
            String overall = LossEpisode.percent(share);
            var episode = LossEpisode.first(h);
            if (episode.isEmpty()) {
                t.append(String.format(Locale.ROOT, "  %-6s never over (%s)%n", h.pop(),
                        Double.isNaN(share) ? "no requests" : overall + " lost in all"));
                continue;
            }
            LossEpisode e = episode.get();
            List<ShowEvent> before = WhatChanged.before(b.events(), h.pop(), e.second());
            t.append(String.format(Locale.ROOT, "  %-6s loss %s (%d of %d requests lost; %s in all)%s%n", h.pop(),
                    e.describe(), e.lost(), e.requests() + e.lost(), overall,
                    before.isEmpty() ? "; nothing changed in the 5 minutes before it"
                            : ", " + LossEpisode.after(e.second(), before.getFirst().atMillis()) + ":"));
            for (ShowEvent event : before) {
                t.append("           ").append(WhatChanged.describe(event)).append('\n');
            }
        }
        recentChanges(t, b);
        t.append("""

                Files
                  manifest.json        format version, when and by what this was made, the show, the PoPs,
                                       the heatmap bucket edges (ms), and this list of files
                  history/POP.csv      one line per engine second (older history: per minute, see
                                       resolution_seconds): requests, lost, p5/p50/p95/p99/max latency in ms,
                                       RFC 3550 jitter in ms at the end of the second (empty for a second
                                       that served no request: nothing was measured), then h00..h31: how many
                                       requests took a latency in each heatmap bucket (edges in the header)
                  events.json          the timeline: faults applied and lifted, flag changes, rollbacks and
                                       guardrail firings, oldest first (the newest 300)
                  audit.json           the audit trail: who changed what, when, before/after and why
                  flags.json           every flag with its variants, weights, scope, version and kill state
                """);
        // only what this bundle holds: one made without a console has no pictures, one without a node no diagnostics
        if (b.frame() != null) {
            t.append("  frame.json           the newest metrics frame (what the dashboard showed)\n");
        }
        if (b.diagnostics().containsKey(BundleFormat.GUARDRAILS)) {
            t.append("  guardrails.json      from a node: each guardrail rule (flag, variant, conditions), armed or\n"
                    + "                       not, its state and last decision with its evidence (exposures, the\n"
                    + "                       conditions' values against their thresholds, since when), and every\n"
                    + "                       firing so far\n");
        }
        if (b.diagnostics().containsKey(BundleFormat.SOURCES)) {
            t.append("  sources.json         from a node: what feeds it (connectors, the ingest API), each with its\n"
                    + "                       state, events per second, last event and errors\n");
        }
        if (b.diagnostics().containsKey(BundleFormat.HEALTH)) {
            t.append("  health.json          from a node: what GET /healthz answered (HTTP status and body)\n");
        }
        if (b.diagnostics().containsKey(BundleFormat.NODE)) {
            t.append("  node.json            from a node: which build it runs (version, commit when the build\n"
                    + "                       recorded one), when it started, and its mode\n");
        }
        if (b.diagnostics().containsKey(BundleFormat.CONNECTION_LOG)) {
            t.append("  connection-log.json  what the console saw this session, wall clock (UTC) and engine time:\n"
                    + "                       each disconnect and reconnect (and why), each node restart (engine\n"
                    + "                       time going back)\n");
        }
        if (!b.snapshots().isEmpty()) {
            t.append("  snapshots/*.png      pictures of the console's views when the bundle was made\n");
        }
        t.append("""

                Open it in the console (./edgedeck --bundle FILE.zip) to see the same
                views. No tokens or audience ids are in this bundle.
                """);
        return t.toString();
    }
}
