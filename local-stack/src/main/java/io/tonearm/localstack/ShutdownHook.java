package io.tonearm.localstack;

/**
 * Stops a server exactly once: at JVM exit, or earlier when {@link #stopNow()} is called from its close().
 */
final class ShutdownHook {
    private final Thread thread;
    private final Runnable stop;
    private boolean stopped;

    private ShutdownHook(String name, Runnable stop) {
        this.stop = stop;
        this.thread = new Thread(this::stopOnce, name + "-shutdown");
    }

    static ShutdownHook register(String name, Runnable stop) {
        ShutdownHook hook = new ShutdownHook(name, stop);
        Runtime.getRuntime().addShutdownHook(hook.thread);
        return hook;
    }

    /** Called from close(): unregisters the hook and stops the server unless that was done already. */
    void stopNow() {
        unregister();
        stopOnce();
    }

    private synchronized void stopOnce() {
        if (stopped) {
            return;
        }
        stopped = true;
        stop.run();
    }

    /** During JVM exit the hook is already running (or ran), which is fine. */
    private void unregister() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook stops the server itself
        }
    }
}
