package dev.tollgate.api.config;

/** Body shape of a budget alert webhook. */
public enum WebhookFormat {
    /** Tollgate's own JSON object (every field of the alert). */
    JSON,
    /** Slack incoming-webhook shape {@code {"text": "..."}}, also understood by Mattermost, Rocket.Chat and Teams workflows. */
    SLACK
}
