package io.edgedeck.simulator.server.tokens;

import io.edgedeck.client.ingest.IngestEvent;
import io.edgedeck.engine.ingest.IngestOutcome;
import io.edgedeck.simulator.server.control.ControlApi;
import io.edgedeck.simulator.server.control.EngineCommands;
import io.edgedeck.simulator.server.control.Idempotency;
import io.edgedeck.simulator.server.http.Access;
import io.edgedeck.simulator.server.http.ApiException;
import io.edgedeck.simulator.server.http.Call;
import io.edgedeck.simulator.server.http.JsonBodies;
import io.edgedeck.simulator.server.http.Lane;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.server.http.Route;
import io.edgedeck.simulator.server.ingest.LiveIntake;
import io.edgedeck.simulator.server.ingest.PendingActions;
import io.edgedeck.simulator.server.privacy.SecretRotation;
import io.edgedeck.simulator.server.privacy.UnitKeys;
import io.edgedeck.simulator.show.ShowRunner;

import io.edgedeck.engine.triggers.TriggerAction;

import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-click checkout tokens on a live node ({@link CheckoutTokens}).
 *
 * <ul>
 * <li>{@code POST /api/v1/checkout-tokens} {@code {targetingKey}}: a token for that unit, for the
 *     shop's back end acting with an operator's token (a viewer may not ask for one). Nothing changes
 *     on the node, so nothing is journaled: issuing is counted. A token a trigger's firing offers (in a
 *     batch's answer, to whoever holds the public ingest key) names that firing under its signature, and
 *     its checkout's answer says so ({@link Redeemed#offer}): it proves the offer, not who took it.</li>
 * <li>{@code GET /api/v1/checkout-tokens/keys}: the signing keys (ids and ages, never a secret), the
 *     TTL and rotation period, and how many tokens were issued.</li>
 * <li>{@code POST /api/v1/checkout-tokens/keys/rotate} {@code {reason, revoke?}}: a new signing key now, an
 *     operator's change, journaled and audited as {@code checkout-tokens.key.rotate}; the node's
 *     schedule makes the same change, as {@code schedule}, every key rotation period. With
 *     {@code revoke} true (a key leaked) every key held before is dropped at once.</li>
 * <li>{@code POST /ingest/v1/checkouts} {@code {token, targetingKey, checkoutId?, pop?}} on the
 *     ingest lane: the app presents the token; the node checks it locally and, if good, takes an
 *     {@code authorised} checkout (durable in the ingest log first, as a batch is). A token refused is
 *     a 403 (expired, forged) or 409 (replayed) problem whose detail starts with the reason, counted by
 *     reason in the frame's checkouts and on {@code /metrics}.</li>
 * </ul>
 */
public final class CheckoutTokenApi {
    /** The audit action of a signing key rotation; its before and after are {@link #KEY} and a key id. */
    public static final String ROTATE_ACTION = "checkout-tokens.key.rotate";
    public static final String KEY = "key ";
    private final CheckoutTokens tokens;
    private final UnitKeys keys;
    private final LiveIntake intake;
    private final ShowRunner runner;
    private final EngineCommands commands;
    private final Idempotency idempotency;
    private final Duration timeout;
    private final AtomicLong issued = new AtomicLong();
    /** Tokens whose checkout is being taken, not yet known to count or not (keyed ids); guarded by itself, with the take and release of each. */
    private final java.util.Set<String> settling = new java.util.HashSet<>();
    /** The trigger action that surfaces a one-click checkout, as a batch's answer names it. */
    private static final String SURFACE_CHECKOUT = TriggerAction.SURFACE_CHECKOUT.name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** What {@code POST /api/v1/checkout-tokens} takes. */
    public record TokenRequest(String targetingKey) {
    }

    /** What {@code POST /ingest/v1/checkouts} takes: the token, its unit, and optionally the checkout's id and PoP. */
    public record Redemption(String token, String targetingKey, String checkoutId, String pop) {
    }

    /**
     * A checkout a token allowed: its id (the one sent, or {@code one-click:<nonce>}) and state, and for
     * a token a trigger's firing offered, that firing (null for one a shop's back end asked for).
     */
    public record Redeemed(String checkoutId, String state,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           CheckoutTokens.Offer offer) {
    }

    /** The keys and counts: what {@code GET /api/v1/checkout-tokens/keys} answers. */
    public record Keys(CheckoutTokens.State keys, long issued) {
    }

    /**
     * What {@code POST /api/v1/checkout-tokens/keys/rotate} takes: why, and whether every key before is
     * revoked; {@code operator} is taken from older clients and ignored, as for any operator's action.
     */
    public record RotateRequest(String operator, String reason, Boolean revoke) {
    }

    /** What a rotation answers: the signing key before and after, and the keys it revoked (none unless asked). */
    public record Rotated(long fromKeyId, long toKeyId, List<Long> revokedKeyIds) {
    }

    public CheckoutTokenApi(CheckoutTokens tokens, UnitKeys keys, LiveIntake intake, ShowRunner runner, EngineCommands commands,
                            Idempotency idempotency, Duration timeout) {
        this.tokens = tokens;
        this.keys = keys;
        this.intake = intake;
        this.runner = runner;
        this.commands = commands;
        this.idempotency = idempotency;
        this.timeout = timeout;
    }

    /**
     * A {@code surface-checkout} action due for a unit, with a token for that unit: the node offers
     * the one-click checkout its trigger asked for, and only a unit it offered one to can use it.
     * Other actions as they are. On the engine thread, in a batch's answer.
     */
    public PendingActions.Due offer(PendingActions.Due due) {
        if (!SURFACE_CHECKOUT.equals(due.action()) || due.targetingKey() == null) {
            return due;
        }
        CheckoutTokens.Issued token = tokens.issue(due.targetingKey(), System.currentTimeMillis(),
                new CheckoutTokens.Offer(due.trigger(), due.firedAtEpochMillis()));
        issued.incrementAndGet();
        return due.withToken(token.token(), token.expiresAtEpochMillis());
    }

    /** The control lane's part, opened by {@code access} (the tokens the control API takes). */
    public Lane controlLane(Access access) {
        return new Lane("/api/v1", access, List.of(
                Route.post("/checkout-tokens", ControlApi.change(idempotency, this::issue)),
                Route.get("/checkout-tokens/keys", c -> Reply.ok(new Keys(tokens.state(), issued.get()))),
                Route.post("/checkout-tokens/keys/rotate", ControlApi.change(idempotency, this::rotate))));
    }

    /** The ingest lane's route: {@code POST /checkouts}. */
    public Route redeemRoute() {
        // The lane reads its key from ?key= too (a beacon's way), for a checkout as for a batch.
        return Route.post("/checkouts", this::redeem).taking("key");
    }

    /** Tokens issued since the node started. */
    public long issued() {
        return issued.get();
    }

    private Reply issue(Call c) {
        TokenRequest r = JsonBodies.parse(c.body(), TokenRequest.class, "targetingKey");
        requireId("targetingKey", r.targetingKey());
        CheckoutTokens.Issued token = tokens.issue(r.targetingKey(), System.currentTimeMillis());
        issued.incrementAndGet();
        return Reply.ok(token);
    }

    private static void requireId(String field, String value) {
        if (value == null || value.isBlank() || value.length() > 256) {
            throw ApiException.invalid(field, "must be an id of 1 to 256 characters");
        }
    }

    private Reply rotate(Call c) {
        RotateRequest a = JsonBodies.parse(c.body(), RotateRequest.class, "reason");
        if (a.reason().isBlank()) {
            throw ApiException.invalid("reason", "must say why");
        }
        boolean revoke = Boolean.TRUE.equals(a.revoke());
        return Reply.ok(commands.run(() -> runner.submit(show -> rotateNow(tokens, show, c.caller().name(), a.reason(), revoke))));
    }

    /**
     * Rotates the signing key on the engine thread, journaled and audited as {@code actor}; with
     * {@code revoke}, every key held before is dropped, which the audit entry's target says.
     */
    static Rotated rotateNow(CheckoutTokens tokens, io.edgedeck.simulator.show.Show show, String actor, String reason,
                             boolean revoke) {
        CheckoutTokens.Rotation r = tokens.next(System.currentTimeMillis(), revoke);
        String target = revoke ? "signing key; revoked keys " + r.revokedKeyIds().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", ")) : "signing key";
        SecretRotation.journaled(show, r, actor, ROTATE_ACTION, target, KEY + r.fromKeyId(), KEY + r.toKeyId(), reason);
        return new Rotated(r.fromKeyId(), r.toKeyId(), r.revokedKeyIds());
    }

    /**
     * The node's schedule: a new signing key when the current one is due, audited as {@code schedule}.
     * Any thread; does not wait (a journal that cannot be written leaves the key as it is, and the
     * next call tries again).
     */
    public static void rotateIfDue(CheckoutTokens tokens, ShowRunner runner) {
        if (tokens.rotationDue(System.currentTimeMillis())) {
            runner.submit(show -> tokens.rotationDue(System.currentTimeMillis())
                    ? rotateNow(tokens, show, "schedule", "the key had been in use for " + tokens.state().keyRotationSeconds() + " s",
                            false)
                    : null);
        }
    }

    private Reply redeem(Call c) {
        Redemption r = JsonBodies.parse(c.body(), Redemption.class, "token", "targetingKey");
        if (r.token().isBlank()) {
            // No token at all, as a missing one is: a malformed request, not a token to judge (and count) as forged.
            throw ApiException.invalid("token", "is required");
        }
        requireId("targetingKey", r.targetingKey());
        long now = System.currentTimeMillis();
        CheckoutTokens.Verdict verdict = tokens.check(r.token(), r.targetingKey(), now);
        if (verdict.outcome() != CheckoutTokens.Outcome.ACCEPTED) {
            throw refused(verdict);
        }
        String eventId = CheckoutTokens.checkoutId(verdict.nonce());
        String taken = keys.key(eventId);
        boolean took;
        boolean stillSettling;
        synchronized (settling) {
            // Taken and marked as settling in one step, and given back and unmarked in one (below): a
            // token presented again sees it spent, settling, or free, never between two of them.
            took = tokens.take(taken, verdict.expiresAtEpochMillis(), now);
            stillSettling = !took && settling.contains(taken);
            if (took) {
                settling.add(taken);
            }
        }
        if (!took) {
            if (stillSettling) {
                // Sent again after a 503 while the first try is still being applied: whether it counts is not known yet.
                return Reply.problem(new ApiException(503, null, "this token's checkout is still being applied; send it again"
                        + " in a second: 409 then means it counted, 200 that it did not and this one did")).with("Retry-After", "1");
            }
            throw refused(CheckoutTokens.refused(CheckoutTokens.Outcome.REPLAYED,
                    "this token was used for a checkout already; a token is good for one"));
        }
        String checkoutId = r.checkoutId() == null ? eventId : r.checkoutId();
        // The token is given back only once its checkout is known not to count: one answered 503 for a
        // timeout may still be made durable and counted, and then its token has bought it.
        IngestOutcome outcome;
        try {
            outcome = intake.takeOne(new IngestEvent.Checkout(eventId, null, checkoutId, r.pop(), CheckoutTokens.PAID_STATE),
                    timeout, counted -> {
                        synchronized (settling) {
                            if (!counted) {
                                tokens.release(taken);
                            }
                            settling.remove(taken);
                        }
                    });
        } catch (LiveIntake.TryLater e) {
            return Reply.problem(e.problem()).with("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return switch (outcome) {
            case IngestOutcome.Accepted a -> {
                count(CheckoutTokens.Outcome.ACCEPTED);
                yield Reply.ok(new Redeemed(checkoutId, CheckoutTokens.PAID_STATE, verdict.offer()));
            }
            case IngestOutcome.Refused no -> throw ApiException.invalid(no.field(), intake.pseudonyms().scrub(no.reason()));
            case IngestOutcome.Duplicate d -> throw refused(CheckoutTokens.refused(CheckoutTokens.Outcome.REPLAYED,
                    "this token's checkout was taken already; a token is good for one"));
        };
    }

    private ApiException refused(CheckoutTokens.Verdict verdict) {
        count(verdict.outcome());
        return switch (verdict.outcome()) {
            case EXPIRED -> ApiException.forbidden(ApiException.CHECKOUT_TOKEN_EXPIRED, null, "token", verdict.detail());
            case FORGED -> ApiException.forbidden(ApiException.CHECKOUT_TOKEN_FORGED, null, "token", verdict.detail());
            default -> new ApiException(409, "token", verdict.detail());
        };
    }

    /** Counted in the core's checkouts, on the engine thread; not awaited. */
    private void count(CheckoutTokens.Outcome outcome) {
        runner.submit(show -> {
            show.core().checkouts().tokenPresented(outcome.ordinal());
            return null;
        });
    }
}
