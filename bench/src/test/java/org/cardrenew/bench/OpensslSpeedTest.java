package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpensslSpeedTest {

    /** The summary of `openssl speed -seconds 1 rsa2048 ecdsap256` (OpenSSL 3.0). */
    private static final String OUTPUT = """
                              sign    verify    sign/s verify/s
            rsa 2048 bits 0.000251s 0.000017s   3983.3  60500.0
                                          sign    verify    sign/s verify/s
             256 bits ecdsa (nistp256)   0.0000s   0.0001s  50715.5  16341.4
            """;

    @Test
    void theSummaryLinesOfBothKeyTypesAreRead() {
        Map<HolderKeyType, OpensslSpeed.Speed> speeds = OpensslSpeed.parse(OUTPUT);
        assertThat(speeds.get(HolderKeyType.RSA_2048)).isEqualTo(new OpensslSpeed.Speed(3983.3, 60500.0));
        assertThat(speeds.get(HolderKeyType.P256)).isEqualTo(new OpensslSpeed.Speed(50715.5, 16341.4));
    }
}
