package io.edgedeck.client.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the console says when a node refuses its token (401): the node's {@code reason} code decides, and a node that
 * sends none (an older one) is read by its words; each way says what is wrong and who can fix it.
 */
class RefusedTokenWordsTest {
    private static final String NODE = "http://127.0.0.1:7070";
    private static final String FILE = "the token file /home/p/alice.token";
    private static final String UNREADABLE = "personal tokens are refused until the node's operators file is fixed (the operators"
            + " file /srv/node/operators.json cannot be read: Unexpected end-of-input: expected close marker for Array)";
    private static final String OPERATORS_SAID = "the node at " + NODE + " cannot read its operators file, so for now it lets no"
            + " person's own token in; it says " + UNREADABLE + ". The token file /home/p/alice.token may be fine: whoever runs"
            + " the node is to fix its operators file. Asking again every 5 s; the console carries on by itself once the node"
            + " reads the file again";
    private static final String REVOKED = "this token of alice was revoked at 2026-12-07T12:00:00Z; ask the node's owner for a"
            + " new one (edgedeck-sim operators add)";
    private static final String REVOKED_SAID = "the node at " + NODE + " refused " + FILE + " (401): the node says this token of"
            + " alice was revoked at 2026-12-07T12:00:00Z. Put a new token from the node's owner ('edgedeck-sim operators add') in"
            + " /home/p/alice.token and start the console again";
    private static final String UNKNOWN_SAID = "the node at " + NODE + " refused " + FILE + " (401): the node does not know this"
            + " token. Put the node's DATA_DIR/token, or your own from 'edgedeck-sim operators add', in /home/p/alice.token and"
            + " start the console again";
    private static final String WANTED = "a valid bearer token is required (Authorization: Bearer <token>): the node's admin"
            + " token (DATA_DIR/token) or a person's own (edgedeck-sim operators add)";

    /** Not a refusal for good: the node's to fix, and the console waits for it, saying so. */
    @Test
    void anUnreadableOperatorsFileIsTheNodesToFixAndWaitedFor() {
        assertEquals(OPERATORS_SAID, FrameStream.waitingWhy(NODE, FILE, UNREADABLE, "5 s"));
        assertEquals("the node at " + NODE + " cannot read its operators file, so for now it lets no person's own token in. The"
                + " token may be fine: whoever runs the node is to fix its operators file. Asking again every 5 s; the console"
                + " carries on by itself once the node reads the file again", FrameStream.waitingWhy(NODE, "the token", null, "5 s"));
    }

    @Test
    void aRevokedTokenIsSaidInTheNodesWordsByItsCodeOrAnOlderNodesWords() {
        assertEquals(REVOKED_SAID, FrameStream.refusedWhy(NODE, FILE, "revoked", REVOKED));
        assertEquals(REVOKED_SAID, FrameStream.refusedWhy(NODE, FILE, null, REVOKED));
    }

    @Test
    void aTokenUnderANameSinceReservedNeedsANewOneAsARevokedOneDoes() {
        String reserved = "this token's person is named as the node names something else: 'admin' is the node owner's;"
                + " ask the node's owner to revoke it and give a token under another name (edgedeck-sim operators revoke, add)";
        assertEquals("the node at " + NODE + " refused " + FILE + " (401): the node says this token's person is named as the"
                + " node names something else: 'admin' is the node owner's. Put a new token from the node's owner"
                + " ('edgedeck-sim operators add') in /home/p/alice.token and start the console again",
                FrameStream.refusedWhy(NODE, FILE, "reserved-name", reserved));
    }

    @Test
    void anUnknownOrMissingTokenIsOneTheNodeDoesNotKnowWhateverItsWords() {
        assertEquals(UNKNOWN_SAID, FrameStream.refusedWhy(NODE, FILE, "unknown-token", WANTED));
        assertEquals(UNKNOWN_SAID, FrameStream.refusedWhy(NODE, FILE, "missing-token", WANTED));
        assertEquals(UNKNOWN_SAID, FrameStream.refusedWhy(NODE, FILE, null, WANTED), "an older node's words for an unknown token");
        assertEquals(UNKNOWN_SAID, FrameStream.refusedWhy(NODE, FILE, null, null), "no problem document at all");
    }

    @Test
    void aReasonThisConsoleDoesNotKnowIsSaidInTheNodesWords() {
        assertEquals("the node at " + NODE + " refused " + FILE + " (401): the node says tokens are refused during the drill."
                + " Put the node's DATA_DIR/token, or your own from 'edgedeck-sim operators add', in /home/p/alice.token and start"
                + " the console again", FrameStream.refusedWhy(NODE, FILE, "drill", "tokens are refused during the drill"));
    }

    @Test
    void aTokenNotFromAFileIsToldToComeFromOne() {
        assertEquals("the node at " + NODE + " refused the token (401): the node says this token of alice was revoked at"
                + " 2026-12-07T12:00:00Z. Start the console again with --token-file FILE holding a new token from the node's owner"
                + " ('edgedeck-sim operators add')", FrameStream.refusedWhy(NODE, "the token", "revoked", REVOKED));
    }
}
