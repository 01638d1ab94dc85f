package io.edgedeck.simulator.server.control;

import io.edgedeck.engine.journal.Journal;
import io.edgedeck.engine.journal.JournalRecord;
import io.edgedeck.engine.journal.KeyedRequest;
import io.edgedeck.simulator.server.http.Reply;
import io.edgedeck.simulator.show.ShowRunner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's journal as the place {@link Idempotency} keeps the answers of requests that changed it:
 * each is appended as an {@code idempotency.answer} record on the engine thread (where every record is
 * numbered), forced to the device before its answer is sent.
 */
public final class JournaledAnswers implements Idempotency.AnswerLog {
    private final ShowRunner runner;
    private final Duration wait;

    /** @param wait how long the engine thread may take to write it */
    public JournaledAnswers(ShowRunner runner, Duration wait) {
        this.runner = runner;
        this.wait = wait;
    }

    @Override
    public void write(KeyedRequest request, Reply.Whole answer) {
        try {
            runner.submit(s -> {
                Journal journal = s.core().journal();
                journal.append(new JournalRecord.IdempotencyAnswer(journal.nextSeq(), s.core().nowMillis(), request.keySeq(),
                        answer.status(), answer.contentType(), answer.headers(), new String(answer.body(), StandardCharsets.UTF_8)));
                return null;
            }).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the answer could not be journaled: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the engine did not journal the answer within " + EngineCommands.seconds(wait), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the node is stopping", e);
        }
    }
}
