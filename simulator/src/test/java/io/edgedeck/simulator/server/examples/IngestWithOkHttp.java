package io.edgedeck.simulator.server.examples;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;

/**
 * The Java example of README.md's "Live mode": a batch of observations sent to a live node with
 * OkHttp, sent again after {@code Retry-After} when the node says 429. The part between the markers
 * is the README's snippet, word for word (a test holds them together); IngestExamplesTest runs it
 * against a real node.
 */
public final class IngestWithOkHttp {
    private IngestWithOkHttp() {
    }

    /** Sends one NDJSON batch and returns the node's answer (accepted, duplicates, refused, actions). */
    public static String send(OkHttpClient client, String node, String ingestKey, String ndjson)
            throws IOException, InterruptedException {
        // --8<-- [start:okhttp]
        Request request = new Request.Builder()
                .url(node + "/ingest/v1/events")
                .header("Authorization", "Bearer " + ingestKey)
                .post(RequestBody.create(ndjson, MediaType.get("application/x-ndjson")))
                .build();
        while (true) {
            try (Response response = client.newCall(request).execute()) {
                if (response.code() == 429) {            // over the key's rate: nothing was taken
                    Thread.sleep(1000L * Long.parseLong(response.header("Retry-After", "1")));
                    continue;
                }
                String answer = response.body().string(); // {"accepted":6,"duplicates":0,"refused":[],"actions":[]}
                if (!response.isSuccessful()) {           // 400, 401, 403, 413: a problem+json document
                    throw new IOException("the node refused the batch: " + answer);
                }
                return answer;                            // a 5xx or a lost answer: send the same ids again
            }
        }
        // --8<-- [end:okhttp]
    }
}
