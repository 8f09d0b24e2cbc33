package dev.tollgate.gateway.http;

import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.budgets.BudgetStatuses;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.ledger.LedgerException;
import dev.tollgate.gateway.ledger.RecentRequests;
import dev.tollgate.gateway.ledger.SpendReport;
import dev.tollgate.gateway.request.JsonBody;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Admin endpoints, guarded by the admin key: {@code GET /admin/spend} (grouped, filtered, JSON or CSV),
 * {@code GET /admin/requests} (newest ledger rows) and {@code GET /admin/budgets} (every budget this period). Shapes
 * and parameters are in {@code docs/api.md}.
 */
public final class AdminHandlers {

    private final ConfigHolder config;
    private final SpendReport spend;
    private final RecentRequests requests;
    private final BudgetStatuses budgets;
    private final Clock clock;

    public AdminHandlers(ConfigHolder config, SpendReport spend, RecentRequests requests, BudgetStatuses budgets, Clock clock) {
        this.config = config;
        this.spend = spend;
        this.requests = requests;
        this.budgets = budgets;
        this.clock = clock;
    }

    public void spend(Context ctx) {
        SpendReportRequests.Spend request = SpendReportRequests.spend(ctx, clock);
        SpendReport.Result result = fromLedger(() -> spend.run(request.query()));
        if (request.csv()) {
            ctx.contentType("text/csv; charset=utf-8")
                    .header("content-disposition", "attachment; filename=\"spend-" + request.query().from() + "-"
                            + request.query().to() + ".csv\"")
                    .result(SpendCsv.of(request.query(), result));
        } else {
            JsonBody.send(ctx, AdminJson.spend(request.query(), result));
        }
    }

    public void requests(Context ctx) {
        RecentRequests.Query query = SpendReportRequests.requests(ctx);
        JsonBody.send(ctx, AdminJson.requests(fromLedger(() -> requests.newest(query))));
    }

    public void budgets(Context ctx) {
        QueryParams.of(ctx, Set.of());
        RuntimeConfig cfg = config.current();
        JsonBody.send(ctx, AdminJson.budgets(fromLedger(() -> budgets.all(cfg))));
    }

    /** Runs a ledger read; while the database is down it fails at once (the pool fails fast) with a 503. */
    static <T> T fromLedger(Supplier<T> read) {
        try {
            return read.get();
        } catch (LedgerException e) {
            throw new GatewayException(503, "api_error", "ledger_unavailable", null,
                    "The ledger database is unavailable; spend cannot be reported now. Try again later.");
        }
    }

    /** Refuses the request unless it carries the admin key: 401 without a key or with a wrong one, 403 with a virtual key. */
    public void requireAdmin(Context ctx) {
        RuntimeConfig cfg = config.current();
        String presented = Authenticator.presentedKey(ctx.header("Authorization"), ctx.header("api-key"));
        if (presented == null) {
            throw GatewayException.invalidApiKey("Admin endpoints need the admin key as 'Authorization: Bearer <key>'.");
        }
        String adminHash = cfg.source().gateway().adminKeyHash();
        String hash = KeyHashes.hash(presented);
        if (adminHash != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), adminHash.getBytes(StandardCharsets.US_ASCII))) {
            return;
        }
        if (cfg.keyByHash(hash) != null) {
            throw new GatewayException(403, "permission_denied", "admin_key_required", null, "A virtual key cannot use admin endpoints.");
        }
        throw GatewayException.invalidApiKey(adminHash == null ? "Admin endpoints are disabled: no admin key is configured." : "Incorrect admin key provided.");
    }
}
