package dev.tollgate.gateway.http.connection;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;

/** Jetty's HTTP/1.1 connection factory making {@link GuardedHttpConnection}s counted in one {@link OpenConnections}. */
public final class GuardedHttpConnectionFactory extends HttpConnectionFactory {

    private final OpenConnections registry;

    public GuardedHttpConnectionFactory(HttpConfiguration configuration, OpenConnections registry) {
        super(configuration);
        this.registry = registry;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        GuardedHttpConnection connection = new GuardedHttpConnection(getHttpConfiguration(), connector, endPoint, registry);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }
}
