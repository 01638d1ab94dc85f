package io.edgedeck.simulator.server;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.simulator.scenario.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a starting node remembers of the checkouts it reads back from its ingest log. */
class LivePrivacyTest {
    @Test
    void onlyCheckoutsATokenCanHavePaidForAreRememberedFromTheLog(@TempDir Path dir) throws Exception {
        NodeConfig.Privacy config = new NodeConfig.Privacy(Duration.ofHours(4), Duration.ofSeconds(60), Duration.ofHours(1), 1.0);
        try (LivePrivacy privacy = LivePrivacy.open(dir, config, List.of())) {
            long now = System.currentTimeMillis();
            for (String state : List.of("started", "queued", "reconciled")) {
                String id = privacy.keys.key("order-" + state);
                privacy.replayed(new IngestEvent.Checkout(id, null, privacy.keys.key("basket-1"), "fra", state), now);
                assertTrue(privacy.tokens.take(id, now + 60_000, now), "a " + state + " checkout no token paid for is not remembered");
            }
            String paid = privacy.keys.key("one-click:abc");
            privacy.replayed(new IngestEvent.Checkout(paid, null, privacy.keys.key("basket-2"), "fra", "authorised"), now);
            assertFalse(privacy.tokens.take(paid, now + 60_000, now), "an authorised checkout a token may have paid for stays taken");
        }
    }
}
