package io.tonearm.sinks.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/** A JDK HTTP(S) server on 127.0.0.1 (only) that records the Host header and TLS SNI it was asked for. */
final class LocalServer implements AutoCloseable {
    final HttpServer server;
    final Queue<String> hostHeaders = new ConcurrentLinkedQueue<>();
    final Queue<String> paths = new ConcurrentLinkedQueue<>();
    final AtomicReference<String> sniName = new AtomicReference<>();

    private LocalServer(HttpServer server) {
        this.server = server;
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-test-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    static LocalServer http() throws IOException {
        return new LocalServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    static LocalServer https(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LocalServer[] self = new LocalServer[1];
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        self[0].sniName.set(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(ssl);
            }
        });
        self[0] = new LocalServer(server);
        return self[0];
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code http(s)://127.0.0.1:port} + path. */
    String url(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + port() + path;
    }

    LocalServer route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            paths.add(exchange.getRequestURI().getPath());
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
        return this;
    }

    LocalServer body(String path, String contentType, byte[] body) {
        return route(path, ex -> send(ex, 200, contentType, body));
    }

    LocalServer redirect(String path, int status, String location) {
        return route(path, ex -> {
            ex.getResponseHeaders().set("Location", location);
            ex.sendResponseHeaders(status, -1);
        });
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
