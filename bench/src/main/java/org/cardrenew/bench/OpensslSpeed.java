package org.cardrenew.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code openssl speed} of the key types of a run: an independent reference for the JDK's signature speed. */
final class OpensslSpeed {

    /** Signatures and verifications per second of one key type, on one core. */
    record Speed(double signPerSecond, double verifyPerSecond) {}

    // "rsa 2048 bits 0.000251s 0.000017s   3983.3  60500.0"
    private static final Pattern RSA =
            Pattern.compile("^rsa\\s+2048 bits\\s+\\S+\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)\\s*$");
    // " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  50715.5  16341.4"
    private static final Pattern P256 =
            Pattern.compile("^\\s*256 bits ecdsa \\(nistp256\\)\\s+\\S+\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)\\s*$");

    private OpensslSpeed() {}

    /** Runs {@code openssl speed -seconds 1} for the key types; empty map (and a note) when openssl is missing. */
    static Map<HolderKeyType, Speed> measure(List<HolderKeyType> types, StringBuilder notes) {
        List<String> command = new ArrayList<>(List.of("openssl", "speed", "-seconds", "1"));
        for (HolderKeyType type : types.stream().distinct().toList()) {
            command.add(type == HolderKeyType.RSA_2048 ? "rsa2048" : "ecdsap256");
        }
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                notes.append("openssl speed failed: ")
                        .append(output.lines().reduce((a, b) -> b).orElse(""))
                        .append('\n');
                return Map.of();
            }
            return parse(output);
        } catch (IOException e) {
            notes.append("openssl not available: ").append(e.getMessage()).append('\n');
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    static Map<HolderKeyType, Speed> parse(String output) {
        Map<HolderKeyType, Speed> speeds = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            Matcher rsa = RSA.matcher(line);
            if (rsa.matches()) {
                speeds.put(
                        HolderKeyType.RSA_2048,
                        new Speed(Double.parseDouble(rsa.group(1)), Double.parseDouble(rsa.group(2))));
            }
            Matcher ec = P256.matcher(line);
            if (ec.matches()) {
                speeds.put(
                        HolderKeyType.P256,
                        new Speed(Double.parseDouble(ec.group(1)), Double.parseDouble(ec.group(2))));
            }
        }
        return speeds;
    }

    /**
     * Renewals/s that the same signature work would reach with OpenSSL's speed on {@code cores} cores: per renewal
     * the holder key signs 2 (+2 CSRs) and is verified 4 times (challenge, 2 CSRs, confirmation); the CA key signs
     * 2 and is verified 3 times (each fresh certificate, and the issuer check of the status call).
     */
    static double bound(Speed holder, Speed ca, boolean csrSignatures, int cores) {
        double seconds = (csrSignatures ? 4 : 2) / holder.signPerSecond()
                + 4 / holder.verifyPerSecond()
                + 2 / ca.signPerSecond()
                + 3 / ca.verifyPerSecond();
        return cores / seconds;
    }
}
