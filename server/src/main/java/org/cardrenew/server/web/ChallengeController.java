package org.cardrenew.server.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.protocol.ChallengeResponse;
import org.cardrenew.server.ra.ChallengeService;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
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
    @Operation(summary = "Issue a one-time challenge",
            description = "A random nonce the card signs with its current signing key (SignedPayloads.status). "
                    + "Valid for cardrenew.challenge.ttl (default 5 minutes), usable once. Counted "
                    + "(cardrenew_challenges_issued_total), not audited: the status or sign-in decision it "
                    + "authenticates is audited and names it.")
    @ApiResponse(responseCode = "200", description = "the challenge")
    public ChallengeResponse challenge() {
        return challenges.issue();
    }
}
