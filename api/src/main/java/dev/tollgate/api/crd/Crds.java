package dev.tollgate.api.crd;

/** Names shared by every Tollgate custom resource. */
public final class Crds {

    public static final String GROUP = "tollgate.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    static final String READY_PATH = ".status.conditions[?(@.type==\"Ready\")].status";

    private Crds() {
    }
}
