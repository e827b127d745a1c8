package org.cardrenew.server.web;

import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

/** Messages follow Accept-Language: zh-TW by default, English on request. */
@Configuration(proxyBeanMethods = false)
public class LocaleConfiguration {

    static final Locale TAIWAN = Locale.forLanguageTag("zh-TW");

    @Bean
    public LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver();
        resolver.setSupportedLocales(List.of(TAIWAN, Locale.ENGLISH));
        resolver.setDefaultLocale(TAIWAN);
        return resolver;
    }
}
