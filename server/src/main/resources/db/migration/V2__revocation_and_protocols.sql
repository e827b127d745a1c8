-- Issue 5: published CRLs. The revocation itself lives in certificate.revoked_at / revocation_reason (V1).
-- crl_number is the primary key: two nodes publishing at once cannot both use a number (RFC 5280 §5.2.3:
-- CRL numbers increase monotonically).
CREATE TABLE published_crl (
    crl_number   BIGINT NOT NULL PRIMARY KEY,
    this_update  TIMESTAMP WITH TIME ZONE NOT NULL,
    next_update  TIMESTAMP WITH TIME ZONE NOT NULL,
    der          BYTEA  NOT NULL
);

-- Protocols that carry one certificate request per message (EST simplereenroll; CMP kur from clients that send
-- one CertReqMsg) renew a card pair in two requests, one per certificate, both authenticated by the card's current
-- signing certificate. The first half waits here (already checked: proof of possession, key) until the second
-- arrives; then the RA renews the pair as one. confirmed_at records a per-certificate CMP certConf.
CREATE TABLE split_renewal_request (
    current_serial  VARCHAR(64)  NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    public_key      BYTEA        NOT NULL,
    subject         BYTEA        NOT NULL,
    transaction_id  VARCHAR(128),
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    confirmed_at    TIMESTAMP WITH TIME ZONE,
    CONSTRAINT split_renewal_request_pk PRIMARY KEY (current_serial, kind)
);
