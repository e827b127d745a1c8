package org.cardrenew.server.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * On PostgreSQL the server's sessions reuse one plan per prepared statement ({@code plan_cache_mode =
 * force_generic_plan}, sent in the connection's start-up options: no extra round trip).
 *
 * <p>Why (issue 14, docs/BENCHMARKS.md, session 9): with the default ({@code auto}) PostgreSQL kept planning three of
 * the renewal path's reads afresh on almost every call (the pair snapshot of a status check and of a renewal token,
 * and the renewal snapshot of a confirmation: 0.2–1.1 ms of planning each, 1.3 ms per renewal, more than their
 * execution), although their generic plans are the same index lookups. Every statement of the server is a lookup by
 * key or a bounded scan written for its indexes; none depends on a parameter's value for its plan. An operator who
 * sets {@code options} in the JDBC URL keeps theirs: the driver takes the URL's over this property.
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
