package io.tonearm.api.stream;

import io.javalin.http.Context;
import io.tonearm.api.http.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events on a plain POST response: {@code text/event-stream}, each event flushed as it is
 * sent, so {@code curl -N} and EventSource-style clients see it at once. Javalin's SSE support answers only GET
 * requests with {@code Accept: text/event-stream}; this endpoint takes a body, so it writes the format itself.
 */
final class EventStream {

    private final OutputStream out;
    private long nextId = 1;

    private EventStream(OutputStream out) {
        this.out = out;
    }

    /** Commits a 200 with the event-stream headers; from here on errors travel as events. */
    static EventStream open(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
        EventStream stream = new EventStream(ctx.res().getOutputStream());
        ctx.res().flushBuffer();
        return stream;
    }

    /** @throws IOException when the client has gone */
    void send(String event, Object data) throws IOException {
        String frame = "id: " + nextId++ + "\nevent: " + event + "\ndata: " + Json.mapper().writeValueAsString(data)
                + "\n\n";
        write(frame);
    }

    /** A comment line: ignored by clients, keeps the connection from idling out. */
    void heartbeat() throws IOException {
        write(": keep-alive\n\n");
    }

    private void write(String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
