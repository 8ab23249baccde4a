package io.capstan.agent.server;

import io.capstan.agent.stats.AgentMetrics;
import io.capstan.agent.stats.NodeStats;
import io.capstan.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The kubelet's monitoring paths: {@code GET /stats/summary} (the stats/v1alpha1 Summary the API server's metrics
 * come from) and {@code GET /metrics} (Prometheus text format). Other paths go on to the next handler.
 */
final class StatsHandler extends Handler.Abstract {

    private final NodeStats stats;
    private final AgentMetrics metrics;

    StatsHandler(NodeStats stats, AgentMetrics metrics) {
        this.stats = stats;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = request.getHttpURI().getPath();
        if (!request.getMethod().equals("GET") || !(path.equals("/stats/summary") || path.equals("/metrics"))) {
            return false;
        }
        byte[] body;
        String type;
        if (path.equals("/metrics")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.write(out);
            body = out.toByteArray();
            type = AgentMetrics.CONTENT_TYPE;
        } else {
            body = Json.bytes(stats.summary());
            type = "application/json";
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
