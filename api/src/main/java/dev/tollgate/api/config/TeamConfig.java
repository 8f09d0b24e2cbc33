package dev.tollgate.api.config;

/**
 * A team: the unit budgets and team-wide limits apply to.
 *
 * @param name    team name keys refer to
 * @param budget  spend cap, null for none
 * @param limits  team-wide rate limits
 */
public record TeamConfig(String name, Budget budget, Limits limits) {
}
