package org.cardrenew.server.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.cardrenew.protocol.StatusRequest;
import org.cardrenew.server.audit.AuditAction;
import org.cardrenew.server.audit.AuditEvent;
import org.cardrenew.server.audit.AuditLog;
import org.cardrenew.server.audit.ClientAddress;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /console/card-sign-in with a status-style body (challengeId, certificate, signature, signatureAlgorithm) and
 * the page's CSRF token in X-CSRF-TOKEN: 204 and a console session, or 401.
 */
@RestController
public class CardSignInController {

    private final CardSignIn cards;
    private final AuditLog audit;
    private final SecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

    public CardSignInController(CardSignIn cards, AuditLog audit) {
        this.cards = cards;
        this.audit = audit;
    }

    @PostMapping("/console/card-sign-in")
    public ResponseEntity<Void> signIn(
            @RequestBody(required = false) StatusRequest body,
            HttpServletRequest request,
            HttpServletResponse response) {
        ClientAddress from = new ClientAddress(request.getRemoteAddr());
        CardSignIn.Attempt attempt = cards.signIn(body);
        if (attempt.officer().isEmpty()) {
            audit.record(AuditEvent.refused(
                            AuditEvent.ANONYMOUS, AuditAction.CONSOLE_SIGN_IN_REFUSED, attempt.refusalCode(), from)
                    .detail("console smart-card sign-in refused: " + attempt.detail()));
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        CardSignIn.Officer who = attempt.officer().get();
        audit.record(AuditEvent.success(who.name(), AuditAction.CONSOLE_SIGNED_IN, from)
                .code(who.role().name())
                .certificate(who.certificateSerial())
                .detail("smart card"));
        // a new session id at sign-in (session fixation)
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                who.name(), null, List.of(new SimpleGrantedAuthority(who.role().authority()))));
        SecurityContextHolder.setContext(context);
        sessions.saveContext(context, request, response);
        return ResponseEntity.noContent().build();
    }
}
