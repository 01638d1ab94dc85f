package io.edgedeck.simulator.connectors.obs;

import io.edgedeck.simulator.connectors.Hashes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * obs-websocket v5's authentication string: base64(sha256(base64(sha256(password + salt)) + challenge)),
 * from the salt and challenge in the server's Hello. The password itself never leaves the node.
 */
final class ObsAuth {
    private ObsAuth() {
    }

    static String authentication(String password, String salt, String challenge) {
        Base64.Encoder b64 = Base64.getEncoder();
        String secret = b64.encodeToString(Hashes.sha256((password + salt).getBytes(StandardCharsets.UTF_8)));
        return b64.encodeToString(Hashes.sha256((secret + challenge).getBytes(StandardCharsets.UTF_8)));
    }
}
