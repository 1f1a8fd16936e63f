package io.tonearm.localstack;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings every local server's builder takes: where it keeps its files, its client port and how long it may
 * take to become ready. {@code B} is the concrete builder, so that chained calls keep its own setters.
 */
abstract class ServerBuilder<B extends ServerBuilder<B>> {
    /** Null: a throwaway temp directory. */
    Path directory;
    /** 0: a free port. */
    int port;
    Duration startTimeout;

    ServerBuilder(Duration defaultStartTimeout) {
        this.startTimeout = defaultStartTimeout;
    }

    abstract B self();

    /** Keep the server's files in {@code directory} across restarts; default: a throwaway temp directory. */
    public B directory(Path directory) {
        this.directory = directory;
        return self();
    }

    /** A fixed port for clients; default (0): a free one. */
    public B port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return self();
    }

    public B startTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
        return self();
    }
}
