package io.edgedeck.console.common;

import io.edgedeck.client.EdgeException;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one way the console runs work off the FX thread and hands the outcome back to it: a blocking
 * call ({@link #run}) or an edge call that is already asynchronous ({@link #follow}), then success or
 * failure, then finally, each on the UI thread. Telemetry never comes this way; it goes through
 * {@link FrameTicker}.
 *
 * <p>In the console work runs on virtual threads and outcomes land with {@code Platform.runLater};
 * tests use {@link #sameThread()}, where everything runs at once on the caller's thread.
 */
public final class Background implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Background.class);

    /** Why a job failed: the sentence a producer reads, and the exception behind it. */
    public record Failure(String message, Throwable cause) {
    }

    /** Work that may report how far it got. Runs on a worker thread. */
    @FunctionalInterface
    public interface Work<T> {
        T call(Progress progress) throws Exception;
    }

    private record Report(double done, String message) {
    }

    /** Where work says how far it got; the UI sees the newest report, never a queue of them. Any thread. */
    @FunctionalInterface
    public interface Progress {
        /** @param done a fraction in [0, 1], or a negative number when unknown */
        void update(double done, String message);
    }

    private final Executor worker;
    private final Executor ui;

    /**
     * @param worker where blocking work runs
     * @param ui     where outcomes are delivered: the FX thread in the console
     */
    public Background(Executor worker, Executor ui) {
        this.worker = worker;
        this.ui = ui;
    }

    /** Where outcomes are delivered (the FX thread in the console), for a caller with its own callbacks. */
    public Executor ui() {
        return ui;
    }

    /** Virtual threads for work, the FX thread for outcomes. */
    public static Background forFx() {
        return new Background(Executors.newVirtualThreadPerTaskExecutor(), Platform::runLater);
    }

    /** Everything at once on the calling thread: for tests. */
    public static Background sameThread() {
        return new Background(Runnable::run, Runnable::run);
    }

    /** A blocking call, run on a worker thread once the job is started. */
    public <T> Job<T> run(Callable<T> work) {
        return new Job<>(progress -> work.call(), null);
    }

    /** A blocking call that reports progress, run on a worker thread once the job is started. */
    public <T> Job<T> run(Work<T> work) {
        return new Job<>(work, null);
    }

    /** An asynchronous call already under way (an edge connection's answer). */
    public <T> Job<T> follow(CompletionStage<T> call) {
        return new Job<>(null, call);
    }

    /** Runs something on a worker thread with no outcome to show; a failure is logged. Any thread. */
    public void execute(String what, Runnable work) {
        worker.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed", what, e);
            }
        });
    }

    /**
     * What a producer reads when something failed: the edge's own words, without wrapper noise or the request's
     * method, address and status (the log keeps those: {@link EdgeException#getMessage()}), after the field they are
     * about, in words, where the edge named one ({@link FieldWords#naming}).
     */
    public static String describe(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof EdgeException edge) {
            return FieldWords.naming(edge.field(), edge.detail());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** A failure as {@link Job#onFailure} reports it: the message a producer reads, and the cause unwrapped. */
    public static Failure failure(Throwable error) {
        return new Failure(describe(error), unwrap(error));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Stops the worker threads, if this instance owns an executor service. */
    @Override
    public void close() {
        if (worker instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }

    /**
     * One piece of background work and what to do with its outcome. Handlers are set on the FX
     * thread before {@link #start()}, and run on the UI executor in the order success or failure,
     * then finally.
     */
    public final class Job<T> {
        private final Work<T> work;
        private final CompletionStage<T> call;
        private Consumer<? super T> onSuccess = value -> { };
        private Consumer<Failure> onFailure = failure -> LOG.warn("Background work failed: {}", failure.message(), failure.cause());
        private Runnable andFinally = () -> { };
        private Progress progress = (done, message) -> { };

        private Job(Work<T> work, CompletionStage<T> call) {
            this.work = work;
            this.call = call;
        }

        public Job<T> onSuccess(Consumer<? super T> handler) {
            this.onSuccess = handler;
            return this;
        }

        public Job<T> onFailure(Consumer<Failure> handler) {
            this.onFailure = handler;
            return this;
        }

        /** Runs after success or failure, whichever it was. */
        public Job<T> andFinally(Runnable handler) {
            this.andFinally = handler;
            return this;
        }

        /** Receives progress on the UI thread: the newest report only, however often the work reports. */
        public Job<T> onProgress(Progress handler) {
            AtomicReference<Report> newest = new AtomicReference<>();
            this.progress = (done, message) -> {
                if (newest.getAndSet(new Report(done, message)) == null) {
                    ui.execute(() -> {
                        Report r = newest.getAndSet(null);
                        handler.update(r.done(), r.message());
                    });
                }
            };
            return this;
        }

        /**
         * Starts the work. The returned future completes, on the UI executor, once the handlers ran.
         * FX thread.
         */
        public CompletableFuture<T> start() {
            CompletionStage<T> outcome = call != null ? call : CompletableFuture.supplyAsync(() -> {
                try {
                    return work.call(progress);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, worker);
            CompletableFuture<T> done = new CompletableFuture<>();
            outcome.whenComplete((value, error) -> ui.execute(() -> {
                try {
                    if (error == null) {
                        onSuccess.accept(value);
                    } else {
                        Failure failure = failure(error);
                        if (failure.cause() instanceof EdgeException edge && !edge.getMessage().equals(failure.message())) {
                            LOG.info("{}", edge.getMessage()); // what the producer reads leaves out the request; the log keeps it
                        }
                        onFailure.accept(failure);
                    }
                } finally {
                    andFinally.run();
                    if (error == null) {
                        done.complete(value);
                    } else {
                        done.completeExceptionally(unwrap(error));
                    }
                }
            }));
            return done;
        }
    }
}
