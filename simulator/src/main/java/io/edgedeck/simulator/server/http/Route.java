package io.edgedeck.simulator.server.http;

/**
 * One method on one path of a {@link Lane}. The path is relative to the lane's prefix ({@code ""}
 * for the prefix itself); a segment in braces, such as {@code {key}}, matches any one segment and
 * is handed to the handler as a parameter. Every GET route also answers HEAD.
 */
public record Route(String method, String path, Handler handler) {

    /** Answers one matched call. Runs on the call's own virtual thread; may block. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Call call) throws Exception;
    }

    public static Route get(String path, Handler handler) {
        return new Route("GET", path, handler);
    }

    public static Route post(String path, Handler handler) {
        return new Route("POST", path, handler);
    }

    public static Route put(String path, Handler handler) {
        return new Route("PUT", path, handler);
    }

    public static Route patch(String path, Handler handler) {
        return new Route("PATCH", path, handler);
    }

    String[] template() {
        return path.isEmpty() ? new String[0] : path.substring(1).split("/", -1);
    }
}
