package io.edgedeck.engine.flags;

/**
 * One arm of a flag. {@code weight} is in basis points of the bucket space: the weights of a
 * flag's variants add up to {@value Bucketing#BUCKETS} (100%).
 */
public record Variant(String name, int weight) {
}
