package dev.tollgate.operator.cluster;

import dev.tollgate.api.crd.TollgateStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets standard conditions without churn: {@code lastTransitionTime} changes only when the status flips, and a
 * condition of a type a caller does not set is left as it was (the reconciler and the spend poller each own theirs).
 */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String ACCEPTED = "Accepted";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String SUSPENDED = "Suspended";
    public static final String EXPIRED = "Expired";
    public static final String BUDGET_EXCEEDED = "BudgetExceeded";
    /** LLMGateway: its pods cannot become Ready without help (image, crash loop, scheduling, rollout deadline). */
    public static final String DEGRADED = "Degraded";

    private Conditions() {
    }

    public static void set(TollgateStatus status, HasMetadata owner, Clock clock, String type, boolean value, String reason, String message) {
        List<Condition> list = status.conditions == null ? new ArrayList<>() : new ArrayList<>(status.conditions);
        String s = value ? "True" : "False";
        Condition previous = find(list, type);
        String since = previous != null && s.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime()
                : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Condition next = new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withObservedGeneration(owner.getMetadata().getGeneration()).build();
        if (previous == null) {
            list.add(next);
        } else {
            list.set(list.indexOf(previous), next);
        }
        list.sort((a, b) -> order(a.getType()) - order(b.getType()) != 0 ? order(a.getType()) - order(b.getType()) : a.getType().compareTo(b.getType()));
        status.conditions = list;
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isTrue(TollgateStatus status, String type) {
        Condition c = status == null ? null : find(status.conditions, type);
        return c != null && "True".equals(c.getStatus());
    }

    private static int order(String type) {
        return READY.equals(type) ? 0 : 1;
    }
}
