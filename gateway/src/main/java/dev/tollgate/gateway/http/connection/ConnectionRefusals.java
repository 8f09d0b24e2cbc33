package dev.tollgate.gateway.http.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Answers the request of a connection refused at accept ({@link Admission#OVER_CAPACITY}: 503, {@link
 * Admission#OVER_ADDRESS_LIMIT}: 429), in OpenAI's error body with {@code Connection: close}, before any other
 * handler runs; every other request passes through. Waiting for the request before answering lets the client read
 * the answer: a close right after accept would race its request and end in a reset.
 */
public final class ConnectionRefusals extends Handler.Wrapper {

    private final byte[] overCapacity;
    private final byte[] overAddressLimit;
    private final Counter capacityRefusals;
    private final Counter addressRefusals;

    /**
     * @param overCapacity     the 503 body
     * @param overAddressLimit the 429 body
     */
    public ConnectionRefusals(Handler handler, byte[] overCapacity, byte[] overAddressLimit, OpenConnections api, MeterRegistry registry) {
        super(handler);
        this.overCapacity = overCapacity.clone();
        this.overAddressLimit = overAddressLimit.clone();
        this.capacityRefusals = Counter.builder("tollgate.connections.refused").tag("reason", "capacity")
                .description("Requests answered 503/429 because their connection was over a connection limit").register(registry);
        this.addressRefusals = Counter.builder("tollgate.connections.refused").tag("reason", "address")
                .description("Requests answered 503/429 because their connection was over a connection limit").register(registry);
        Gauge.builder("tollgate.connections.open", api, OpenConnections::admitted)
                .description("Connections served on the API port").register(registry);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnection() instanceof GuardedHttpConnection c) {
            Admission admission = c.admission();
            if (admission == Admission.OVER_CAPACITY) {
                capacityRefusals.increment();
                return refuse(response, callback, 503, overCapacity);
            }
            if (admission == Admission.OVER_ADDRESS_LIMIT) {
                addressRefusals.increment();
                return refuse(response, callback, 429, overAddressLimit);
            }
        }
        return super.handle(request, response, callback);
    }

    private static boolean refuse(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
