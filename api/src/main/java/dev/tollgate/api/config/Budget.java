package dev.tollgate.api.config;

import java.math.BigDecimal;

/**
 * A spend cap in USD over a period.
 *
 * @param amountUsd  the cap
 * @param period     {@code daily}, {@code weekly}, {@code monthly}, or a fixed duration such as {@code 12h}
 */
public record Budget(BigDecimal amountUsd, String period) {
}
