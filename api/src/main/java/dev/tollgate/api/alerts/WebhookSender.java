package dev.tollgate.api.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One POST of a budget alert (no retries: the gateway retries with backoff, the operator by rescheduling). Adds
 * {@code Content-Type: application/json}, {@code Idempotency-Key} and {@code User-Agent}. Failures name the status or
 * the exception type, never the URL, which may be a credential.
 */
public final class WebhookSender {

    private final HttpClient http;

    public WebhookSender(HttpClient http) {
        this.http = http;
    }

    /** A JDK client that follows no redirects (a redirect would resend the alert somewhere not configured). */
    public static WebhookSender create(Duration connectTimeout) {
        return new WebhookSender(HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build());
    }

    /**
     * Posts {@code body}; returns normally on a 2xx answer.
     *
     * @throws WebhookException on any other status, a timeout or a connection failure
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    public void post(URI url, Map<String, String> headers, BudgetAlert alert, String body, Duration timeout)
            throws WebhookException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "tollgate-alerts")
                .header("Idempotency-Key", alert.id())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new WebhookException("no answer (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new WebhookException("request refused by the HTTP client (a restricted header?)");
        }
        if (response.statusCode() / 100 != 2) {
            throw new WebhookException("answered HTTP " + response.statusCode());
        }
    }

    /** A delivery that did not work; the message is safe to log and to show in status. */
    public static final class WebhookException extends Exception {
        public WebhookException(String message) {
            super(message, null, false, false);
        }
    }
}
