package io.tonearm.api.stream;

import io.javalin.http.HttpStatus;
import io.tonearm.api.errors.ApiException;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that decodes and analyzes streamed recordings, off Jetty's request threads: a fixed number
 * of workers and a bounded wait queue; a request beyond both is refused (503) instead of piling up. Idle
 * workers exit, so the pool needs no shutdown.
 */
final class StreamWorkers {

    private final ThreadPoolExecutor pool;

    StreamWorkers(int workers, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS,
                queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity), r -> {
            Thread t = new Thread(r, "stream-analysis-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** @throws ApiException 503 {@code busy} when every worker and queue slot is taken */
    void submit(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy",
                    "every stream worker is busy; try again shortly", Map.of("Retry-After", "5"));
        }
    }
}
