package dev.tollgate.gateway.ledger;

import java.math.BigDecimal;

/**
 * Spend of one group (key, team or model) over a time range.
 *
 * @param group            key name, team or requested model; null for rows without one (e.g. keys without team)
 * @param requests         client requests (attempts are not counted)
 * @param promptTokens     prompt tokens of every billed row, attempts included
 * @param completionTokens completion tokens of every billed row, attempts included
 * @param costUsd          exact cost of every row, attempts included, scale 12
 */
public record SpendTotal(String group, long requests, long promptTokens, long completionTokens, BigDecimal costUsd) {
}
