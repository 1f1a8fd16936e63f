package io.tonearm.localstack;

/** Stops a server at JVM exit unless it was closed before. */
final class ShutdownHook {
    private final Thread thread;

    private ShutdownHook(Thread thread) {
        this.thread = thread;
    }

    static ShutdownHook register(String name, Runnable stop) {
        Thread thread = new Thread(stop, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(thread);
        return new ShutdownHook(thread);
    }

    /** Called from close(); during JVM exit the hook is already running (or ran), which is fine. */
    void unregister() {
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
