package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.protocol.ErrorCode;
import org.cardrenew.server.ra.ChallengeService;
import org.cardrenew.server.ra.RaException;
import org.cardrenew.server.store.ChallengePurpose;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** One-time challenges for card authentication. */
@RestController
@Tag(name = "renewal", description = "Certificate status, renewal and confirmation for the card holder")
public class ChallengeController {

    private final ChallengeService challenges;

    public ChallengeController(ChallengeService challenges) {
        this.challenges = challenges;
    }

    @PostMapping(path = ApiPaths.CHALLENGES, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Issue a one-time challenge",
            description = "A random nonce the card signs with its current signing key. A challenge serves one purpose "
                    + "only: `status` (the default; the card signs SignedPayloads.status) or `console-sign-in` (an "
                    + "officer's console sign-in; SignedPayloads.consoleSignIn). Valid for cardrenew.challenge.ttl "
                    + "(default 5 minutes), usable once. Stateless: the challengeId (opaque text) and the nonce are HMACs under a "
                    + "key the server nodes share, so issuing writes nothing; the first use is recorded. Counted (cardrenew_challenges_issued_total), not audited: the "
                    + "status or sign-in decision it authenticates is audited and names it.")
    @ApiResponse(responseCode = "200", description = "the challenge")
    @ApiResponse(responseCode = "400", description = "REQUEST_INVALID: an unknown purpose")
    public ChallengeResponse challenge(
            @Parameter(description = "status (default) or console-sign-in")
                    @RequestParam(name = "purpose", required = false)
                    String purpose) {
        return challenges.issue(purpose(purpose));
    }

    private static ChallengePurpose purpose(String value) {
        if (value == null || value.equals("status")) {
            return ChallengePurpose.STATUS;
        }
        if (value.equals("console-sign-in")) {
            return ChallengePurpose.CONSOLE_SIGN_IN;
        }
        throw new RaException(ErrorCode.REQUEST_INVALID, "purpose must be status or console-sign-in");
    }
}
