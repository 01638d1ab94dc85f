package io.edgedeck.simulator.server.sources;

import io.edgedeck.simulator.server.http.PeerValues;

import io.edgedeck.client.EdgeConnection;
import io.edgedeck.client.model.NodeInfo;
import io.edgedeck.simulator.report.RunReport;
import io.edgedeck.simulator.server.control.ControlApi;
import io.edgedeck.simulator.server.control.EngineCommands;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What support and the console read to diagnose a node, opened by the read key as well as the admin
 * token (a support engineer needs no key that changes the show): a PoP's latency history
 * ({@code GET /api/v1/pops/{id}/history?from=&to=}, what the Jitter view and bundles are made of),
 * what feeds the node ({@code GET /api/v1/sources}) and the show so far as a run report
 * ({@code GET /api/v1/report}, what {@code load} compares with an in-process run), and the trigger
 * audit ({@code GET /api/v1/triggers}, docs/TRIGGERS.md), and which build the node runs, since when and in
 * which mode ({@code GET /api/v1/node}). It shares the {@code /api/v1} prefix with the control API and claims
 * only these five paths.
 */
public final class DiagnosticsApi {
    /** The largest second a query may name: about 285 million years, far past any show, and exact in every JSON reader. */
    public static final long MAX_SECOND = 9_007_199_254_740_991L;

    private final EdgeConnection engine;
    private final EngineCommands commands;
    private final Set<String> pops;
    private final SourceRegistry sources;
    private final Supplier<CompletableFuture<RunReport>> report;
    private final Access access;
    private final NodeInfo node;

    /**
     * @param engine   where history comes from (answered on the engine thread)
     * @param pops     the node's PoP ids: another id is 404
     * @param report   the show so far as a run report, made on the engine thread
     * @param node     what the node says of itself: its build, when it started and its mode
     */
    public DiagnosticsApi(EdgeConnection engine, EngineCommands commands, Set<String> pops, SourceRegistry sources,
                          Supplier<CompletableFuture<RunReport>> report, Access access, NodeInfo node) {
        this.engine = engine;
        this.commands = commands;
        this.pops = new TreeSet<>(pops);
        this.sources = sources;
        this.report = report;
        this.access = access;
        this.node = node;
    }

    public Lane lane() {
        return new Lane(ControlApi.PREFIX, access, List.of(
                Route.get("/pops/{id}/history", this::history).taking("from", "to"),
                Route.get("/sources", c -> Reply.ok(sources.statuses())),
                Route.get("/report", c -> Reply.ok(commands.read(report.get()))),
                Route.get("/triggers", c -> Reply.ok(commands.read(engine.triggerAudit()))),
                Route.get("/node", c -> Reply.ok(node))));
    }

    private Reply history(Call c) {
        String pop = c.param(0);
        if (!pops.contains(pop)) {
            throw new ApiException(404, "id", "no PoP '" + pop + "' on this node; it has " + pops);
        }
        long from = second(c, "from", 0);
        long to = second(c, "to", MAX_SECOND);
        if (to <= from) {
            throw ApiException.invalid("to", "must be after from (" + from + "), was " + to);
        }
        return Reply.ok(commands.read(engine.history(pop, from, to)));
    }

    /** A query parameter holding an engine second: a whole number from 0 to {@link #MAX_SECOND}. */
    private static long second(Call c, String name, long absent) {
        String text = c.query(name);
        if (text == null) {
            return absent;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be a whole number of engine seconds, was " + PeerValues.quoted(text, '\''));
        }
        if (value < 0 || value > MAX_SECOND) {
            throw ApiException.invalid(name, "must be between 0 and " + MAX_SECOND + ", was " + value);
        }
        return value;
    }

}
