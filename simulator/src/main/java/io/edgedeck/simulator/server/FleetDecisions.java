package io.edgedeck.simulator.server;

import io.edgedeck.engine.guardrails.CountedRule;
import io.edgedeck.engine.guardrails.GuardrailSpec;
import io.edgedeck.simulator.fleet.ControlApplier;
import io.edgedeck.simulator.fleet.ControlWriter;
import io.edgedeck.simulator.fleet.FleetAggregator;
import io.edgedeck.simulator.fleet.FleetGuardrails;
import io.edgedeck.simulator.fleet.FleetOptions;
import io.edgedeck.simulator.scenario.FlagSpec;
import io.edgedeck.simulator.scenario.Scenario;
import io.edgedeck.simulator.server.control.FleetControl;
import io.edgedeck.simulator.show.Show;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregator's deciding loop (docs/FLEET.md, "Guardrails on the fleet's evidence"): once a second it has
 * {@link FleetGuardrails} judge every rule on the fleet's summed counts and writes each rollback that fired to
 * the control topic through a {@link ControlWriter}, the compare-and-set every node's changes go through, as
 * issuer {@value FleetGuardrails#ISSUER}. It reads the control topic with its own {@link ControlApplier} (flags'
 * states, arming) and acts only once it has read the fleet's topics to their end.
 *
 * <p>Threads: the applier's, and one {@code fleet-guardrails} thread that judges and writes.
 */
public final class FleetDecisions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetDecisions.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final FleetAggregator aggregator;
    private final FleetGuardrails guardrails;
    private final ControlApplier applier;
    private final ControlWriter writer;
    private final Thread thread;
    private volatile boolean running = true;

    private FleetDecisions(FleetAggregator aggregator, FleetGuardrails guardrails, ControlApplier applier, ControlWriter writer) {
        this.aggregator = aggregator;
        this.guardrails = guardrails;
        this.applier = applier;
        this.writer = writer;
        this.thread = Thread.ofPlatform().name("fleet-guardrails").daemon(true).unstarted(this::run);
    }

    /** Opens the control topic's reader and writer (Kafka need not be reachable yet) and feeds the aggregates to the rules. */
    static FleetDecisions open(FleetOptions options, FleetAggregator aggregator, FleetGuardrails guardrails) throws IOException {
        Map<String, Object> base = options.kafkaBase();
        ControlWriter writer = new ControlWriter(options.topics(), base, FleetGuardrails.ISSUER, ControlWriter.DEFAULT_TRANSACTIONAL_ID,
                WRITE_TIMEOUT);
        ControlApplier applier;
        try {
            applier = new ControlApplier(options.topics(), base, FleetGuardrails.ISSUER, guardrails);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        aggregator.onSecond(guardrails::add);
        return new FleetDecisions(aggregator, guardrails, applier, writer);
    }

    /**
     * The rules of a node configuration the fleet decides ({@link CountedRule#judgesOnCounts}), with the
     * configuration's flags; {@code nodeLocal} gets one line per rule left to each node, saying why.
     */
    public static FleetGuardrails rules(Scenario show, List<String> nodeLocal) {
        Map<String, FleetGuardrails.Flag> flags = new LinkedHashMap<>();
        for (FlagSpec f : show.flags()) {
            flags.put(f.key(), new FleetGuardrails.Flag(f.key(), f.control(), FleetControl.flagState(Show.definition(f, show.seed()))));
        }
        List<GuardrailSpec> decided = new ArrayList<>();
        for (GuardrailSpec g : show.guardrails()) {
            if (CountedRule.judgesOnCounts(g)) {
                decided.add(g);
            } else {
                nodeLocal.add(g.id() + ": " + CountedRule.notOnCounts(g).map(c -> "condition " + c.metric().wireName()
                        + " reads each arm's requests, which the fleet's aggregates do not carry").orElse("its action "
                        + g.action().wireName() + " is made on each node, not through the control topic"));
            }
        }
        return new FleetGuardrails(decided, flags);
    }

    FleetGuardrails guardrails() {
        return guardrails;
    }

    void start() {
        applier.start();
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                boolean caughtUp = aggregator.lag() == 0 && applier.status().lag() == 0;
                for (FleetGuardrails.Rollback r : guardrails.evaluate(System.currentTimeMillis(), caughtUp)) {
                    write(r);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // One bad turn must not end the fleet's guardrails; the next second judges again.
                LOG.error("fleet guardrails: could not judge the fleet's rules", e);
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write(FleetGuardrails.Rollback r) throws InterruptedException {
        try {
            ControlWriter.Written w = writer.write(r.record());
            LOG.info("fleet guardrail {}: rollback {} at control offset {}{}", r.rule(), r.record().id(), w.offset(),
                    w.alreadyThere() ? " (already there)" : "");
            guardrails.settled(r);
        } catch (ControlWriter.ConflictException e) {
            // The flag changed since the rule judged it: the decision was about a population that is gone.
            LOG.warn("fleet guardrail {}: rollback not written, the flag moved on: {}", r.rule(), e.getMessage());
            guardrails.settled(r);
        } catch (ControlWriter.UnavailableException e) {
            LOG.warn("fleet guardrail {}: rollback not written yet, tried again in a second: {}", r.rule(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        applier.close();
        writer.close();
    }
}
