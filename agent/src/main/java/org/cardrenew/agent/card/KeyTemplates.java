package org.cardrenew.agent.card;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.cardrenew.pkcs11.Attribute;
import org.cardrenew.pkcs11.Cka;
import org.cardrenew.pkcs11.Ckm;
import org.cardrenew.pkcs11.Cko;

/** The PKCS#11 templates of the objects the agent creates (PKCS#11 v2.40 §4.6–4.9). */
final class KeyTemplates {

    static final long CKC_X_509 = 0;

    /** The CKA_LABEL prefix of decryption history: an old encryption key and its certificate. */
    static final String HISTORY_PREFIX = "hist-";

    private KeyTemplates() {}

    static long mechanism(KeySpec spec) {
        return spec.isRsa() ? Ckm.RSA_PKCS_KEY_PAIR_GEN : Ckm.EC_KEY_PAIR_GEN;
    }

    /** A token object only while the key is pending: it keeps the public key for a resumed run. */
    static Attribute[] publicKey(ObjectId id, KeyPurpose purpose, KeySpec spec) {
        List<Attribute> t = new ArrayList<>(named(id));
        t.add(Attribute.of(Cka.TOKEN, true));
        t.add(Attribute.of(Cka.PRIVATE, false));
        KeyUsage.publicKey(purpose, spec)
                .forEach((attribute, value) -> t.add(Attribute.of(attribute.longValue(), value.booleanValue())));
        if (spec.isRsa()) {
            t.add(Attribute.of(Cka.MODULUS_BITS, (long) spec.bits()));
            t.add(Attribute.of(Cka.PUBLIC_EXPONENT, BigInteger.valueOf(65537)));
        } else {
            try {
                t.add(Attribute.of(
                        Cka.EC_PARAMS,
                        (spec == KeySpec.EC_P256 ? SECObjectIdentifiers.secp256r1 : SECObjectIdentifiers.secp384r1)
                                .getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode a curve OID", e);
            }
        }
        return t.toArray(Attribute[]::new);
    }

    /** A sensitive, never extractable token object with every usage attribute of {@link KeyUsage} explicit. */
    static Attribute[] privateKey(ObjectId id, KeyPurpose purpose, KeySpec spec) {
        List<Attribute> t = new ArrayList<>(named(id));
        t.add(Attribute.of(Cka.TOKEN, true));
        t.add(Attribute.of(Cka.PRIVATE, true));
        t.add(Attribute.of(Cka.SENSITIVE, true));
        t.add(Attribute.of(Cka.EXTRACTABLE, false));
        KeyUsage.privateKey(purpose, spec)
                .forEach((attribute, value) -> t.add(Attribute.of(attribute.longValue(), value.booleanValue())));
        return t.toArray(Attribute[]::new);
    }

    /** A public token object bound to its key by the shared CKA_ID. */
    static Attribute[] certificate(ObjectId id, X509Certificate certificate) throws CertificateEncodingException {
        List<Attribute> t = new ArrayList<>(named(id));
        t.add(Attribute.of(Cka.CLASS, Cko.CERTIFICATE));
        t.add(Attribute.of(Cka.CERTIFICATE_TYPE, CKC_X_509));
        t.add(Attribute.of(Cka.TOKEN, true));
        t.add(Attribute.of(Cka.PRIVATE, false));
        t.add(Attribute.of(Cka.SUBJECT, certificate.getSubjectX500Principal().getEncoded()));
        t.add(Attribute.of(Cka.ISSUER, certificate.getIssuerX500Principal().getEncoded()));
        try {
            t.add(Attribute.of(Cka.SERIAL_NUMBER, new ASN1Integer(certificate.getSerialNumber()).getEncoded()));
        } catch (IOException e) {
            throw new CertificateEncodingException("cannot encode the serial number", e);
        }
        t.add(Attribute.of(Cka.VALUE, certificate.getEncoded()));
        return t.toArray(Attribute[]::new);
    }

    static byte[] historyLabel(ObjectId id) {
        return (HISTORY_PREFIX + id).getBytes(StandardCharsets.UTF_8);
    }

    static boolean isHistoryLabel(String label) {
        return label != null && label.startsWith(HISTORY_PREFIX);
    }

    /** CKA_ID and CKA_LABEL: the same printable id, so pkcs11-tool and other middleware show it. */
    private static List<Attribute> named(ObjectId id) {
        return List.of(
                Attribute.of(Cka.ID, id.bytes()),
                Attribute.of(Cka.LABEL, id.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
