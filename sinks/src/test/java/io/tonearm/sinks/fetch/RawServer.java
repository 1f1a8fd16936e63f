package io.tonearm.sinks.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A one-script TCP server on 127.0.0.1 for responses a real HTTP server refuses to send: a Content-Length that
 * lies, a body that stalls. Each connection reads the request head and then runs the script.
 */
final class RawServer implements AutoCloseable {
    interface Script {
        void respond(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket socket;
    private final Thread acceptor;

    RawServer(Script script) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread worker = new Thread(() -> serve(client, script), "raw-test-server-conn");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "raw-test-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void serve(Socket client, Script script) {
        try (client) {
            readHead(client.getInputStream());
            OutputStream out = client.getOutputStream();
            script.respond(out);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // The client hung up (as it should when it aborts); nothing to do.
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
