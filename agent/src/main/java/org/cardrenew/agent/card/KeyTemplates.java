package org.cardrenew.agent.card;

import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_CERTIFICATE_TYPE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_CLASS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_DERIVE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_EC_PARAMS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_ENCRYPT;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_ID;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_ISSUER;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_LABEL;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_MODULUS_BITS;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_PRIVATE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_PUBLIC_EXPONENT;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_SENSITIVE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_SERIAL_NUMBER;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_SUBJECT;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_TOKEN;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_VERIFY;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKA_WRAP;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKM_EC_KEY_PAIR_GEN;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKM_RSA_PKCS_KEY_PAIR_GEN;
import static sun.security.pkcs11.wrapper.PKCS11Constants.CKO_CERTIFICATE;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_MECHANISM;

/** The PKCS#11 templates of the objects the agent creates (PKCS#11 v2.40 §4.6–4.9). */
final class KeyTemplates {

    static final long CKC_X_509 = 0;

    private KeyTemplates() {}

    static CK_MECHANISM mechanism(KeySpec spec) {
        return new CK_MECHANISM(spec.isRsa() ? CKM_RSA_PKCS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN);
    }

    /** A token object only while the key is pending: it keeps the public key for a resumed run. */
    static CK_ATTRIBUTE[] publicKey(ObjectId id, KeyPurpose purpose, KeySpec spec) {
        List<CK_ATTRIBUTE> t = new ArrayList<>(named(id));
        t.add(new CK_ATTRIBUTE(CKA_TOKEN, true));
        t.add(new CK_ATTRIBUTE(CKA_PRIVATE, false));
        t.add(new CK_ATTRIBUTE(CKA_VERIFY, true));
        if (spec.isRsa()) {
            t.add(new CK_ATTRIBUTE(CKA_MODULUS_BITS, (long) spec.bits()));
            t.add(new CK_ATTRIBUTE(CKA_PUBLIC_EXPONENT, BigInteger.valueOf(65537)));
            if (purpose == KeyPurpose.ENCRYPTION) {
                t.add(new CK_ATTRIBUTE(CKA_ENCRYPT, true));
                t.add(new CK_ATTRIBUTE(CKA_WRAP, true));
            }
        } else {
            try {
                t.add(new CK_ATTRIBUTE(CKA_EC_PARAMS, (spec == KeySpec.EC_P256
                        ? SECObjectIdentifiers.secp256r1 : SECObjectIdentifiers.secp384r1).getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode a curve OID", e);
            }
        }
        return t.toArray(CK_ATTRIBUTE[]::new);
    }

    /**
     * A sensitive, never extractable token object. Both keys sign: the encryption key too, for its CSR's
     * proof of possession (RFC 2986 §3).
     */
    static CK_ATTRIBUTE[] privateKey(ObjectId id, KeyPurpose purpose, KeySpec spec) {
        List<CK_ATTRIBUTE> t = new ArrayList<>(named(id));
        t.add(new CK_ATTRIBUTE(CKA_TOKEN, true));
        t.add(new CK_ATTRIBUTE(CKA_PRIVATE, true));
        t.add(new CK_ATTRIBUTE(CKA_SENSITIVE, true));
        t.add(new CK_ATTRIBUTE(CKA_EXTRACTABLE, false));
        t.add(new CK_ATTRIBUTE(CKA_SIGN, true));
        if (purpose == KeyPurpose.ENCRYPTION) {
            if (spec.isRsa()) {
                t.add(new CK_ATTRIBUTE(CKA_DECRYPT, true));
                t.add(new CK_ATTRIBUTE(CKA_UNWRAP, true));
            } else {
                t.add(new CK_ATTRIBUTE(CKA_DERIVE, true));
            }
        }
        return t.toArray(CK_ATTRIBUTE[]::new);
    }

    /** A public token object bound to its key by the shared CKA_ID. */
    static CK_ATTRIBUTE[] certificate(ObjectId id, X509Certificate certificate) throws CertificateEncodingException {
        List<CK_ATTRIBUTE> t = new ArrayList<>(named(id));
        t.add(new CK_ATTRIBUTE(CKA_CLASS, CKO_CERTIFICATE));
        t.add(new CK_ATTRIBUTE(CKA_CERTIFICATE_TYPE, CKC_X_509));
        t.add(new CK_ATTRIBUTE(CKA_TOKEN, true));
        t.add(new CK_ATTRIBUTE(CKA_PRIVATE, false));
        t.add(new CK_ATTRIBUTE(CKA_SUBJECT, certificate.getSubjectX500Principal().getEncoded()));
        t.add(new CK_ATTRIBUTE(CKA_ISSUER, certificate.getIssuerX500Principal().getEncoded()));
        try {
            t.add(new CK_ATTRIBUTE(CKA_SERIAL_NUMBER, new ASN1Integer(certificate.getSerialNumber()).getEncoded()));
        } catch (IOException e) {
            throw new CertificateEncodingException("cannot encode the serial number", e);
        }
        t.add(new CK_ATTRIBUTE(CKA_VALUE, certificate.getEncoded()));
        return t.toArray(CK_ATTRIBUTE[]::new);
    }

    /** CKA_ID and CKA_LABEL: the same printable id, so pkcs11-tool and other middleware show it. */
    private static List<CK_ATTRIBUTE> named(ObjectId id) {
        return List.of(new CK_ATTRIBUTE(CKA_ID, id.bytes()),
                new CK_ATTRIBUTE(CKA_LABEL, id.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
