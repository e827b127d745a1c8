package org.cardrenew.server.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.cardrenew.protocol.ErrorCode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document served at /v3/api-docs (UI at /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String ADMIN_TOKEN = "adminToken";

    @Bean
    public OpenAPI cardRenewOpenApi() {
        String codes = Arrays.stream(ErrorCode.values())
                .map(c -> "- `" + c.name() + "` (HTTP " + c.httpStatus() + ")")
                .collect(Collectors.joining("\n"));
        return new OpenAPI()
                .info(new Info()
                        .title("CardRenew RA API")
                        .version("v1")
                        .description("Online renewal of smart-card certificates. Every refusal is a JSON ApiError "
                                + "{code, message}; message in the Accept-Language (zh-TW default, en). Error codes:\n\n"
                                + codes))
                .components(new Components()
                        .addSecuritySchemes(
                                ADMIN_TOKEN,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("cardrenew.admin.token (env CARDRENEW_ADMIN_TOKEN)")));
    }
}
