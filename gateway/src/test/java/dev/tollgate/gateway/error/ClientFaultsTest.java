package dev.tollgate.gateway.error;

import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class ClientFaultsTest {

    @Test
    void jettysOwnClientErrorsKeepTheirStatus() {
        assertThat(ClientFaults.of(new BadMessageException(408, "Idle timeout")).status()).isEqualTo(408);
        assertThat(ClientFaults.of(new IOException(new BadMessageException(400, "bad chunk"))).status()).isEqualTo(400);
    }

    @Test
    void aSlowBodyIsA408() {
        assertThat(ClientFaults.of(new IOException(new TimeoutException("min data rate"))).code()).isEqualTo("request_timeout");
    }

    @Test
    void gatewayFailuresAreNotBlamedOnTheClient() {
        assertThat(ClientFaults.of(new IllegalStateException("bug"))).isNull();
        assertThat(ClientFaults.of(new IOException("connection reset by peer"))).isNull();
    }
}
