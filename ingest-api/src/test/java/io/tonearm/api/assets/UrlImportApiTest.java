package io.tonearm.api.assets;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tonearm.api.ApiHarness;
import io.tonearm.sinks.accounts.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static io.tonearm.api.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code method=url}: fetched through the SSRF-safe fetcher; loopback only when the operator allow-lists it. */
class UrlImportApiTest {

    @Test
    void importsFromAnAllowListedServerAndRefusesLoopbackOtherwise(@TempDir Path dir) throws Exception {
        byte[] wav = ApiHarness.wav(31, 0.5);
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/music/song.wav", ex -> {
            ex.getResponseHeaders().add("Content-Type", "audio/wav");
            ex.sendResponseHeaders(200, wav.length);
            ex.getResponseBody().write(wav);
            ex.close();
        });
        origin.start();
        int port = origin.getAddress().getPort();
        try (ApiHarness api = new ApiHarness(dir, c -> c.withUrlAllowList(List.of("127.0.0.1:" + port)))) {
            String key = api.newKey(Plan.PRO);
            String url = "http://127.0.0.1:" + port + "/music/song.wav";

            HttpResponse<String> r = api.send(api.request("/v1/assets", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"url\",\"url\":\"" + url + "\"}")).build());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode a = json(r);
            assertThat(a.get("method").asText()).isEqualTo("url");
            assertThat(a.get("filename").asText()).isEqualTo("song.wav");
            assertThat(a.get("status").asText()).isEqualTo("ready");
            assertThat(a.get("size").asLong()).isEqualTo(wav.length);

            HttpResponse<String> otherPort = api.send(api.request("/v1/assets", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"url\",\"url\":\"http://127.0.0.1:"
                            + (port == 65535 ? 1 : port + 1) + "/x.wav\"}")).build());
            assertThat(otherPort.statusCode()).as(otherPort.body()).isEqualTo(422);
            assertThat(json(otherPort).get("error").get("code").asText()).isEqualTo("url_forbidden");

            HttpResponse<String> metadata = api.send(api.request("/v1/assets", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"url\",\"url\":\"http://169.254.169.254/latest/\"}")).build());
            assertThat(metadata.statusCode()).isEqualTo(422);
            HttpResponse<String> garbage = api.send(api.request("/v1/assets", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"url\",\"url\":\"not a url\"}")).build());
            assertThat(garbage.statusCode()).isEqualTo(400);
        } finally {
            origin.stop(0);
        }
    }
}
