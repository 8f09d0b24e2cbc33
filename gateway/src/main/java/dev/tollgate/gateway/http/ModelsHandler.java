package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.gateway.auth.Authenticator;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.request.JsonBody;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/models}: the models (and aliases) the caller's key may use, in OpenAI's list shape. */
public final class ModelsHandler {

    private final ConfigHolder config;
    private final Authenticator authenticator;

    public ModelsHandler(ConfigHolder config, Authenticator authenticator) {
        this.config = config;
        this.authenticator = authenticator;
    }

    public void list(Context ctx) {
        RuntimeConfig cfg = config.current();
        KeyPolicy key = authenticator.authenticate(cfg, ctx.header("Authorization"), ctx.header("api-key"));
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (RouteConfig route : cfg.routes()) {
            if (!key.allows(route.model())) {
                continue;
            }
            List<String> names = new ArrayList<>();
            names.add(route.model());
            names.addAll(route.aliases());
            for (String name : names) {
                ObjectNode model = data.addObject();
                model.put("id", name);
                model.put("object", "model");
                model.put("created", 0);
                model.put("owned_by", "tollgate");
            }
        }
        JsonBody.send(ctx, root);
    }
}
