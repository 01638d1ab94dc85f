package io.edgedeck.simulator.fleet;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One in-process broker shared by every fleet test class that does not stop it: started by the
 * first such test, closed when the test run ends. A test gets it as an {@link EmbeddedKafka}
 * parameter and makes its own topics under a fresh prefix ({@link #topics}).
 */
final class SharedKafka implements ParameterResolver {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private record Holder(EmbeddedKafka kafka) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            kafka.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedKafka.class, k -> {
                    try {
                        return new Holder(EmbeddedKafka.start("shared"));
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start the in-process Kafka broker", e);
                    }
                }, Holder.class).kafka();
    }

    /** The fleet's topics under a prefix no other test uses, created on {@code kafka}. */
    static FleetTopics topics(EmbeddedKafka kafka, String name, int partitions) throws Exception {
        FleetTopics topics = new FleetTopics("t" + PREFIXES.incrementAndGet() + "-" + name + ".", partitions, (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            topics.ensure(admin, Duration.ofSeconds(30));
        }
        return topics;
    }
}
