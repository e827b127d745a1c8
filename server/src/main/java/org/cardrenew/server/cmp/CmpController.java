package org.cardrenew.server.cmp;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.cardrenew.server.audit.ClientAddress;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * CMP over HTTP (RFC 6712, RFC 9483 §6.1) at {@code /.well-known/cmp} (and {@code /.well-known/cmp/p/<label>}, RFC 9483
 * §6.1 named profiles, all served alike). Every answer is a PKIMessage with HTTP 200, errors included (RFC 6712 §3.3).
 */
@RestController
@Hidden // binary protocol, described in docs/PROTOCOLS.md
public class CmpController {

    static final String PKIXCMP = "application/pkixcmp";

    private final CmpService cmp;

    public CmpController(CmpService cmp) {
        this.cmp = cmp;
    }

    @PostMapping(
            path = {"/.well-known/cmp", "/.well-known/cmp/p/{label}"},
            consumes = PKIXCMP,
            produces = PKIXCMP)
    public ResponseEntity<byte[]> cmp(@RequestBody byte[] message, HttpServletRequest request) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(PKIXCMP))
                .body(cmp.handle(message, new ClientAddress(request.getRemoteAddr())));
    }
}
