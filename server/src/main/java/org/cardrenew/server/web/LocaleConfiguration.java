package org.cardrenew.server.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

/**
 * API messages follow Accept-Language: zh-TW by default, English on request. The holder's pages ({@code /},
 * {@code /agent}) are zh-TW unless {@code ?lang=en} (the language switch), whatever the browser's language.
 */
@Configuration(proxyBeanMethods = false)
public class LocaleConfiguration {

    static final Locale TAIWAN = Locale.forLanguageTag("zh-TW");

    @Bean
    public LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver() {
            @Override
            public Locale resolveLocale(HttpServletRequest request) {
                String path = request.getRequestURI()
                        .substring(request.getContextPath().length());
                if ("GET".equals(request.getMethod()) && (path.equals("/") || path.equals("/agent"))) {
                    return "en".equalsIgnoreCase(request.getParameter("lang")) ? Locale.ENGLISH : TAIWAN;
                }
                return super.resolveLocale(request);
            }
        };
        resolver.setSupportedLocales(List.of(TAIWAN, Locale.ENGLISH));
        resolver.setDefaultLocale(TAIWAN);
        return resolver;
    }
}
