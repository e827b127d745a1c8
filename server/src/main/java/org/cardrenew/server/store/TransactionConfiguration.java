package org.cardrenew.server.store;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The server's one transaction manager, in place of Spring Boot's: {@link PipelinedTransactionManager}. */
@Configuration(proxyBeanMethods = false)
public class TransactionConfiguration {

    @Bean
    public PipelinedTransactionManager transactionManager(
            DataSource dataSource, ObjectProvider<TransactionManagerCustomizers> customizers) {
        PipelinedTransactionManager transactions = new PipelinedTransactionManager(dataSource);
        // The spring.transaction.* settings, as Spring Boot applies them to its own.
        customizers.ifAvailable(c -> c.customize(transactions));
        return transactions;
    }
}
