package org.cardrenew.server.ra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ChallengeKeyTest {

    private static final String SECRET = "a challenge key shared by the nodes";

    @Test
    void aMacIsHmacSha256OfLabelAndTextWithTheKeyCutToTheLengthAsked() throws Exception {
        ChallengeKey key = new ChallengeKey(SECRET);
        assertThat(key.mac("nonce", "r4nd0m|STATUS|1796641584", 32))
                .isEqualTo(reference("nonce|r4nd0m|STATUS|1796641584", 32));
        assertThat(key.mac("id", "r4nd0m|STATUS|1796641584", 16))
                .isEqualTo(reference("id|r4nd0m|STATUS|1796641584", 16));
        assertThat(new ChallengeKey("another key").mac("id", "r4nd0m", 16)).isNotEqualTo(key.mac("id", "r4nd0m", 16));
    }

    /** One key set up once, MACs made from it by many request threads at once: each is the one its text asks for. */
    @Test
    void requestThreadsMakingMacsAtOnceEachGetTheirTextsMac() throws Exception {
        ChallengeKey key = new ChallengeKey(SECRET);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                all.add(threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String text = thread + "|" + i;
                        if (!key.mac("nonce", text, 32).equals(reference("nonce|" + text, 32))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : all) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String reference(String input, int bytes) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] full = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, bytes));
    }
}
