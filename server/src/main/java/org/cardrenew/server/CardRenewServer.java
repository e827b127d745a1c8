package org.cardrenew.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The CardRenew server: RA API, store, audit and the embedded CA. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CardRenewServer {

    public static void main(String[] args) {
        SpringApplication.run(CardRenewServer.class, args);
    }
}
