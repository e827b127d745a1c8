package org.cardrenew.server.audit;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * An RFC 3161 time-stamp authority that anchors audit checkpoints (docs/AUDIT.md): the TSA, a third party, signs
 * that a checkpoint's signature existed at its time, so whoever later gets hold of the audit key still cannot sign a
 * rewritten history under an earlier date. Requests and tokens through BouncyCastle's TSP API.
 */
public final class TimeStampAuthority {

    /** A token's time may trail the checkpoint's own time by this much (the request follows the signature). */
    static final Duration TOLERANCE = Duration.ofMinutes(10);

    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final URI url;
    private final X509Certificate certificate;
    private final HttpClient http;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param url         where to POST {@code application/timestamp-query} (RFC 3161 §3.4); null to only verify
     * @param certificate the TSA's signing certificate, pinned by the operator
     */
    public TimeStampAuthority(URI url, X509Certificate certificate, Duration timeout) {
        this.url = url;
        this.certificate = certificate;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    boolean canStamp() {
        return url != null;
    }

    /** A time-stamp token over the SHA-256 {@code digest}, checked against the pinned certificate; DER. */
    byte[] stamp(byte[] digest) throws IOException {
        BigInteger nonce = new BigInteger(64, random);
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(false);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, digest, nonce);
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(timeout)
                            .header("Content-Type", "application/timestamp-query")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the time-stamp authority", e);
        }
        byte[] body;
        try (InputStream in = answer.body()) {
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (answer.statusCode() != 200 || body.length > MAX_RESPONSE_BYTES) {
            throw new IOException("the time-stamp authority answered HTTP " + answer.statusCode() + " with "
                    + body.length + " bytes");
        }
        try {
            TimeStampResponse response = new TimeStampResponse(body);
            response.validate(request); // RFC 3161 §2.4.2: status, imprint, nonce, policy
            TimeStampToken token = response.getTimeStampToken();
            if (token == null) {
                throw new IOException("the time-stamp authority refused: " + response.getStatusString());
            }
            String problem = problem(token.getEncoded(), digest, null);
            if (problem != null) {
                throw new IOException(problem);
            }
            return token.getEncoded();
        } catch (TSPException e) {
            throw new IOException("unusable answer from the time-stamp authority: " + e.getMessage(), e);
        }
    }

    /**
     * Why {@code token} does not prove that {@code digest} existed around {@code signedAt} (null: it does). With a
     * null {@code signedAt} the time is not compared.
     */
    String problem(byte[] token, byte[] digest, Instant signedAt) {
        try {
            TimeStampToken parsed = new TimeStampToken(new org.bouncycastle.cms.CMSSignedData(token));
            SignerInformationVerifier verifier =
                    new JcaSimpleSignerInfoVerifierBuilder().build(new JcaX509CertificateHolder(certificate));
            // validate(): the signature, the certificate's ESSCertID binding and its timeStamping key purpose
            parsed.validate(verifier);
            if (!TSPAlgorithms.SHA256.equals(parsed.getTimeStampInfo().getMessageImprintAlgOID())
                    || !Arrays.equals(parsed.getTimeStampInfo().getMessageImprintDigest(), digest)) {
                return "time-stamp token covers something else";
            }
            Instant stampedAt = parsed.getTimeStampInfo().getGenTime().toInstant();
            if (signedAt != null
                    && (stampedAt.isBefore(signedAt.minus(Duration.ofMinutes(1)))
                            || stampedAt.isAfter(signedAt.plus(TOLERANCE)))) {
                return "time-stamped at " + stampedAt + ", not when the checkpoint says it was signed";
            }
            return null;
        } catch (IOException
                | TSPException
                | org.bouncycastle.cms.CMSException
                | org.bouncycastle.operator.OperatorCreationException
                | java.security.cert.CertificateException
                | RuntimeException e) {
            // any parse or signature failure of a stored token is a finding, never an exception to the caller
            return "time-stamp token does not verify against the trusted time-stamp authority: " + e.getMessage();
        }
    }
}
