package io.tonearm.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child process with a directory of its own (Elasticsearch, S3Proxy): stopped exactly once, from
 * {@link #close()} or at JVM exit, process tree first, then its directory released (a throwaway one is deleted).
 */
public abstract class ChildServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildServer.class);

    private final String name;
    private final ChildProcess process;
    private final ServerDirectory directory;
    private final int port;
    private final Duration stopTimeout;
    private final ShutdownHook shutdownHook;

    ChildServer(String name, ChildProcess process, ServerDirectory directory, int port, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.stopTimeout = stopTimeout;
        this.shutdownHook = ShutdownHook.register(name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-" + port, this::stop);
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory.path();
    }

    /** The process this JVM started (a launcher or setpriv that execs the server; the server is in its tree). */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        shutdownHook.stopNow();
    }

    private void stop() {
        long t0 = System.nanoTime();
        process.destroyTree(stopTimeout);
        directory.release();
        LOG.info("{} on port {} stopped in {} ms", name, port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
