package org.cardrenew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchMainTest {

    @Test
    void thePostgresPortIsReadFromTheJdbcUrl() {
        assertThat(BenchMain.pgPort("jdbc:postgresql://127.0.0.1:5433/cardrenew_test?currentSchema=bench_1")).isEqualTo(5433);
        assertThat(BenchMain.pgPort("jdbc:postgresql://localhost/cardrenew_test")).isEqualTo(5432);
    }
}
