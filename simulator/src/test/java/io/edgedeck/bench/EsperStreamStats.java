package io.edgedeck.bench;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.EventSender;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.client.fireandforget.EPFireAndForgetPreparedQuery;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompileException;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployException;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Consumer;

/**
 * The same results from Esper 9 (EPL compiled once, one runtime on external time), written as an
 * Esper user would write them with what Esper ships. Each result is kept in a table that its
 * statement updates as events enter and leave a 10 s time window, and read once a second:
 *
 * <ul>
 *   <li>latency: requests grouped by PoP into {@code PopLatency}, with {@code count(*)} and the
 *       built-in {@code sorted} aggregation (a sorted multiset of the window's requests). Esper has
 *       no percentile aggregation; p50/p95/p99 are read by walking the multiset once, in order, to
 *       HdrHistogram's rank (through its {@code navigableMapReference()}, which copies nothing), so
 *       they are exact where the histograms are within their 1% precision;
 *   <li>jitter: {@code PopJitter}, keyed by PoP, holding the last latency and the estimate, updated
 *       by an {@code on Request merge} with the RFC 3550 step {@code J += (|D| - J) / 16};
 *   <li>variant counts: {@code VariantCounts}, exposures and conversions {@code count(*)} grouped by
 *       flag and variant.
 * </ul>
 *
 * <p>Tables, and that walk, because the plainer ways cost Esper far more on this stream: a
 * {@code select ... sorted(ms) ... group by pop} statement evaluates its select clause, copying the
 * whole sorted window, on every event; and selecting the {@code sorted} column copies the window
 * into an array with one tree lookup per distinct latency on every read. Esper's clock is the stream's:
 * time advances with each tick's events ({@code advanceTime}), and at the end of each engine second
 * it is set to the second's last millisecond, where a 10 s time window holds exactly that second and
 * the nine before, and two prepared fire-and-forget queries read the tables. The event objects are
 * built once, before the run, so what is timed is Esper's own work.
 */
public final class EsperStreamStats implements StreamStats {
    /** A request a PoP served, and its latency. */
    public static final class Request {
        private final int pop;
        private final double ms;

        Request(int pop, double ms) {
            this.pop = pop;
            this.ms = ms;
        }

        public int getPop() {
            return pop;
        }

        public double getMs() {
            return ms;
        }
    }

    /** An exposure to, or a conversion in, one variant of one flag. */
    public static class VariantEvent {
        private final String flag;
        private final String variant;

        VariantEvent(String flag, String variant) {
            this.flag = flag;
            this.variant = variant;
        }

        public String getFlag() {
            return flag;
        }

        public String getVariant() {
            return variant;
        }
    }

    public static final class Exposure extends VariantEvent {
        Exposure(String flag, String variant) {
            super(flag, variant);
        }
    }

    public static final class Conversion extends VariantEvent {
        Conversion(String flag, String variant) {
            super(flag, variant);
        }
    }

    /**
     * The statements: each keeps its results in a table, updated as events enter and leave the
     * windows. {@code %1$s} and {@code %2$s} are the percentiles' column and its aggregation, or
     * nothing.
     */
    private static final String EPL = """
            @public create table PopLatency (pop int primary key, requests count(*)%1$s);
            into table PopLatency select count(*) as requests%2$s from Request#time(10 sec) group by pop;

            @public create table PopJitter (pop int primary key, lastMs double, jitter double);
            on Request r merge PopJitter t where t.pop = r.pop
              when matched then update set t.jitter = t.jitter + (Math.abs(r.ms - t.lastMs) - t.jitter) / 16.0, t.lastMs = r.ms
              when not matched then insert select r.pop as pop, r.ms as lastMs, 0.0 as jitter;

            @public create table VariantCounts (flag string primary key, variant string primary key,
              exposures count(*), conversions count(*));
            into table VariantCounts select count(*) as exposures from Exposure#time(10 sec) group by flag, variant;
            into table VariantCounts select count(*) as conversions from Conversion#time(10 sec) group by flag, variant;
            """;

    /** What is read at the end of every engine second (fire-and-forget queries, prepared once). */
    private static final String READ_POPS = "select pop, requests%s, PopJitter[pop].jitter as jitter from PopLatency";
    /** The sorted requests as Esper's own navigable map (latency to the requests that had it), not a copy. */
    private static final String READ_SORTED = ", byLatency.navigableMapReference() as byLatency";
    private static final String READ_VARIANTS = "select flag, variant, exposures, conversions from VariantCounts";

    static String epl(boolean percentiles) {
        return percentiles ? EPL.formatted(", byLatency sorted(ms) @type(Request)", ", sorted(*) as byLatency") : EPL.formatted("", "");
    }

    private final EPRuntime runtime;
    private final EPEventService events;
    private final EPFireAndForgetPreparedQuery readPops;
    private final EPFireAndForgetPreparedQuery readVariants;
    private final EventSender[] senders = new EventSender[3];
    /** The event object of each of the stream's events, built once. */
    private final Object[] objects;
    private final Map<String, Map<String, Integer>> armOf = new HashMap<>();
    private final WindowReadout out;
    private final Consumer<WindowReadout> onSecond;
    private final boolean percentiles;
    private long second;
    private long clock = Long.MIN_VALUE;

    /**
     * @param percentiles false to leave the sorted aggregation out: counts and jitter only, what
     *                    Esper costs before any percentile (never equal work, a floor for Esper)
     */
    EsperStreamStats(ShowEventStream stream, boolean percentiles, Consumer<WindowReadout> onSecond) {
        this.percentiles = percentiles;
        Configuration config = new Configuration();
        config.getRuntime().getThreading().setInternalTimerEnabled(false);
        config.getCommon().addEventType("Request", Request.class);
        config.getCommon().addEventType("Exposure", Exposure.class);
        config.getCommon().addEventType("Conversion", Conversion.class);
        try {
            EPCompiled compiled = EPCompilerProvider.getCompiler().compile(epl(percentiles), new CompilerArguments(config));
            // A runtime of its own: the default one is shared by everything in the JVM that asks for it.
            runtime = EPRuntimeProvider.getRuntime(EsperStreamStats.class.getName() + "-" + System.identityHashCode(this), config);
            events = runtime.getEventService();
            events.advanceTime(0);
            runtime.getDeploymentService().deploy(compiled);
            CompilerArguments queries = new CompilerArguments(config);
            queries.getPath().add(runtime.getRuntimePath());
            readPops = runtime.getFireAndForgetService().prepareQuery(EPCompilerProvider.getCompiler().compileQuery(READ_POPS.formatted(percentiles ? READ_SORTED : ""), queries));
            readVariants = runtime.getFireAndForgetService().prepareQuery(
                    EPCompilerProvider.getCompiler().compileQuery(READ_VARIANTS, queries));
        } catch (EPCompileException | EPDeployException e) {
            throw new IllegalStateException("Esper could not take the statements: " + e.getMessage(), e);
        }
        senders[ShowEventStream.REQUEST] = events.getEventSender("Request");
        senders[ShowEventStream.EXPOSURE] = events.getEventSender("Exposure");
        senders[ShowEventStream.CONVERSION] = events.getEventSender("Conversion");
        objects = new Object[stream.length];
        for (int i = 0; i < stream.length; i++) {
            String[] arm = stream.arm[i] < 0 ? null : stream.arms.get(stream.arm[i]);
            objects[i] = switch (stream.kind[i]) {
                case ShowEventStream.REQUEST -> new Request(stream.pop[i], stream.ms[i]);
                case ShowEventStream.EXPOSURE -> new Exposure(arm[0], arm[1]);
                default -> new Conversion(arm[0], arm[1]);
            };
        }
        for (int a = 0; a < stream.arms.size(); a++) {
            String[] arm = stream.arms.get(a);
            armOf.computeIfAbsent(arm[0], f -> new HashMap<>()).put(arm[1], a);
        }
        out = new WindowReadout(stream.popCount(), stream.arms.size());
        this.onSecond = onSecond;
    }

    @Override
    public void play(ShowEventStream stream, int from, int to, long offsetMillis) {
        byte[] kind = stream.kind;
        long[] at = stream.atMillis;
        for (int i = from; i < to; i++) {
            advanceTo(at[i] + offsetMillis);
            senders[kind[i]].sendEvent(objects[i]);
        }
    }

    @Override
    public void advanceTo(long millis) {
        while (millis >= (second + 1) * 1000) {
            moveClock((second + 1) * 1000 - 1);
            endSecond();
        }
        moveClock(millis);
    }

    private void moveClock(long millis) {
        if (millis > clock) {
            events.advanceTime(millis);
            clock = millis;
        }
    }

    private void endSecond() {
        out.clear();
        for (EventBean row : readPops.execute().getArray()) {
            int p = (Integer) row.get("pop");
            long n = (Long) row.get("requests");
            if (n == 0) {
                continue;
            }
            out.requests[p] = n;
            if (percentiles) {
                @SuppressWarnings("unchecked")
                var byLatency = (NavigableMap<Object, Collection<EventBean>>) row.get("byLatency");
                percentiles(byLatency, n, p);
            }
            out.jitter[p] = (Double) row.get("jitter");
        }
        for (EventBean row : readVariants.execute().getArray()) {
            int arm = armOf.get((String) row.get("flag")).get((String) row.get("variant"));
            out.exposures[arm] = (Long) row.get("exposures");
            out.conversions[arm] = (Long) row.get("conversions");
        }
        out.second = second++;
        onSecond.accept(out);
    }

    /** Walks the sorted requests once, up to p99, taking each percentile at HdrHistogram's rank. */
    private void percentiles(NavigableMap<Object, Collection<EventBean>> byLatency, long n, int p) {
        int r50 = WindowReadout.rank(50, n);
        int r95 = WindowReadout.rank(95, n);
        int r99 = WindowReadout.rank(99, n);
        long seen = 0;
        for (Map.Entry<Object, Collection<EventBean>> e : byLatency.entrySet()) {
            long before = seen;
            seen += e.getValue().size();
            double ms = (Double) e.getKey();
            if (before < r50 && seen >= r50) {
                out.p50[p] = ms;
            }
            if (before < r95 && seen >= r95) {
                out.p95[p] = ms;
            }
            if (seen >= r99) {
                out.p99[p] = ms;
                return;
            }
        }
    }

    @Override
    public WindowReadout readout() {
        return out;
    }

    /** Frees the runtime's statements and state. */
    void destroy() {
        runtime.destroy();
    }
}
