package io.edgedeck.simulator.connectors;

/**
 * How much a pushed batch (CDN logs, chat webhook) may weigh. A batch over a limit is refused whole
 * with 413 and nothing of it is taken; a line over {@code maxLineBytes} is refused alone and counted.
 *
 * <p>JSON: {@code {"maxBodyBytes": 8388608, "maxDecompressedBytes": 33554432, "maxLineBytes": 65536}};
 * any may be left out.
 *
 * @param maxBodyBytes         the body as sent (gzip or not), default 8 MiB
 * @param maxDecompressedBytes the body after gzip, default 32 MiB: a gzip bomb stops here
 * @param maxLineBytes         one NDJSON line, default 64 KiB
 */
public record PushLimits(Long maxBodyBytes, Long maxDecompressedBytes, Integer maxLineBytes) {
    public static final PushLimits DEFAULT = new PushLimits(null, null, null);

    public PushLimits {
        maxBodyBytes = maxBodyBytes == null ? 8L << 20 : maxBodyBytes;
        maxDecompressedBytes = maxDecompressedBytes == null ? Math.max(32L << 20, maxBodyBytes) : maxDecompressedBytes;
        maxLineBytes = maxLineBytes == null ? 64 << 10 : maxLineBytes;
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, not " + maxBodyBytes);
        }
        if (maxDecompressedBytes < maxBodyBytes) {
            throw new IllegalArgumentException("maxDecompressedBytes (" + maxDecompressedBytes
                    + ") must be at least maxBodyBytes (" + maxBodyBytes + ")");
        }
        if (maxLineBytes < 256 || maxLineBytes > maxDecompressedBytes) {
            throw new IllegalArgumentException("maxLineBytes must be between 256 and maxDecompressedBytes, not " + maxLineBytes);
        }
    }
}
