package io.edgedeck.engine;

import io.edgedeck.engine.pops.PopSite;

import java.util.List;

/** Small edge cores for tests: three PoPs in two regions. */
public final class TestShows {
    private TestShows() {
    }

    public static CoreConfig threePops(long seed) {
        return CoreConfig.of("test", seed, 250,
                List.of(PopSite.of("fra", "eu", 100), PopSite.of("ams", "eu", 150), PopSite.of("iad", "na", 200)),
                List.of("eu", "na"));
    }
}
