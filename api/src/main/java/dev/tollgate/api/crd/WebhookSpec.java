package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** One budget alert receiver: a URL, given inline or (when it is a credential, as Slack's are) from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.url) != has(self.urlSecretRef)", message = "give exactly one of url and urlSecretRef")
public class WebhookSpec {

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of this webhook, unique in the list; status.alertDeliveries refers to it.")
    public String name;

    @Pattern(Validation.HTTP_URL)
    @JsonPropertyDescription("http(s) URL the alert is POSTed to. Use urlSecretRef when the URL is itself a secret.")
    public String url;

    @JsonPropertyDescription("Secret key holding the URL; the Secret must be labelled tollgate.dev/watched=true.")
    public SecretKeyRef urlSecretRef;

    @Default("json")
    @Pattern("^(json|slack)$")
    @JsonPropertyDescription("Body: json (Tollgate's alert object) or slack (an incoming-webhook {\"text\": ...}).")
    public String format = "json";

    @Size(max = 10)
    @ValidationRule(value = "self.all(t, t >= 1 && t <= 1000)", message = "thresholds are percentages between 1 and 1000")
    @JsonPropertyDescription("Alert thresholds (of spec.alertThresholds) this webhook is told about; absent means all of them.")
    public List<Integer> thresholds;
}
