package io.tonearm.localstack;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waits until a child server answers an HTTP probe the way {@code ready} accepts, failing early when the process
 * exits and with the last answer when the time is up: Elasticsearch's cluster health, S3Proxy's root.
 */
final class HttpReadiness {

    private HttpReadiness() {
    }

    static void await(ChildProcess process, HttpRequest probe, Predicate<HttpResponse<String>> ready, Duration timeout,
                      Duration pause, String what) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LocalStackException("the process exited with code " + process.exitCode() + " before it was ready");
            }
            try {
                HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
                if (ready.test(response)) return;
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + what, e);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + what, e);
            }
        }
        throw new LocalStackException(what + " not ready within " + timeout + " (last: " + last + ")");
    }
}
