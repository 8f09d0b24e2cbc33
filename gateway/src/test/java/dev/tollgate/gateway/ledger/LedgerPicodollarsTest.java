package dev.tollgate.gateway.ledger;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerPicodollarsTest {

    @Test
    void usdConvertsToWholePicodollarsAndBack() {
        assertThat(Picodollars.fromUsd(new BigDecimal("0.000000150"))).isEqualTo(150_000L);
        assertThat(Picodollars.fromUsd(new BigDecimal("1"))).isEqualTo(1_000_000_000_000L);
        assertThat(Picodollars.fromUsd(new BigDecimal("-0.25"))).isEqualTo(-250_000_000_000L);
        assertThat(Picodollars.toUsd(150_000L)).isEqualTo(new BigDecimal("0.000000150000"));
    }

    @Test
    void subPicodollarAmountsRoundHalfEven() {
        assertThat(Picodollars.fromUsd(new BigDecimal("0.0000000000005"))).isZero();
        assertThat(Picodollars.fromUsd(new BigDecimal("0.0000000000015"))).isEqualTo(2L);
        assertThat(Picodollars.fromUsd(new BigDecimal("0.0000000000025"))).isEqualTo(2L);
        assertThat(Picodollars.fromUsd(new BigDecimal("0.00000000000251"))).isEqualTo(3L);
    }

    @Test
    void amountsPastALongAreRefused() {
        assertThat(Picodollars.fromUsd(new BigDecimal("9223372.036854775807"))).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> Picodollars.fromUsd(new BigDecimal("9223372.036854775808")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void sumsLargerThanALongConvertExactly() {
        BigDecimal twoMaxRows = new BigDecimal(Long.MAX_VALUE).multiply(BigDecimal.TWO);
        assertThat(Picodollars.toUsd(twoMaxRows)).isEqualTo(new BigDecimal("18446744.073709551614"));
    }
}
