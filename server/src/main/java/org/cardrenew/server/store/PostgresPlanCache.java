package org.cardrenew.server.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * On PostgreSQL the server's sessions reuse one plan per prepared statement ({@code plan_cache_mode =
 * force_generic_plan}, sent in the connection's start-up options: no extra round trip).
 *
 * <p>Why (issue 14, docs/BENCHMARKS.md, sessions 9 and 10): with the default ({@code auto}) PostgreSQL decides per
 * connection, after five custom plans, whether a prepared statement keeps a generic plan; on some connections of
 * about half the benchmark runs it kept planning the renewal path's pair and renewal snapshots (joins of four to five
 * tables, 0.2–1.3 ms of planning each) on every call: 22–31 % of PostgreSQL's CPU in the planner in those runs
 * (perf), 3–4 % in the others, 4.0–5.6 against 3.2–3.6 ms of PostgreSQL CPU per renewal. Their generic plans are the
 * same index lookups. Every statement of the server is a lookup by key or a bounded scan written for its indexes;
 * none depends on a parameter's value for its plan (the reminder scan over 1,000,000 pairs took the same time both
 * ways). An operator who sets {@code options} in the JDBC URL keeps theirs: the driver takes the URL's over this
 * property.
 */
@Configuration(proxyBeanMethods = false)
public class PostgresPlanCache {

    static final String OPTIONS = "-c plan_cache_mode=force_generic_plan";

    @Bean
    static BeanPostProcessor postgresPlanCacheMode() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && isPostgres(pool.getJdbcUrl())) {
                    pool.addDataSourceProperty("options", OPTIONS);
                }
                return bean;
            }
        };
    }

    static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }
}
