package io.edgedeck.client.model;

/** A variant as the console shows it; {@code weight} in basis points (10000 = 100%). */
public record VariantView(String name, int weight) {
}
