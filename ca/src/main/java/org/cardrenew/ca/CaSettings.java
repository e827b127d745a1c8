package org.cardrenew.ca;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of the embedded CA, filled by the server from its properties. Start from
 * {@link #pkcs12(Path, char[])} or {@link #hsm(Path, String, char[])} and adjust with the {@code with...} methods.
 */
public record CaSettings(
        CaKeyLocation keyLocation,
        CaKeyType keyType,
        CaSubjects subjects,
        CaLifetimes lifetimes,
        PublicationUrls urls) {

    public CaSettings {
        Objects.requireNonNull(keyLocation, "CA key location");
        keyType = keyType == null ? CaKeyType.DEFAULT : keyType;
        subjects = subjects == null ? CaSubjects.DEFAULT : subjects;
        lifetimes = lifetimes == null ? CaLifetimes.DEFAULT : lifetimes;
        urls = urls == null ? PublicationUrls.NONE : urls;
    }

    /** CA keys in a PKCS#12 file protected by a configured password; defaults for everything else. */
    public static CaSettings pkcs12(Path path, char[] password) {
        return new CaSettings(new CaKeyLocation.Pkcs12File(path, password), null, null, null, null);
    }

    /** CA keys on the PKCS#11 token with this label; defaults for everything else. */
    public static CaSettings hsm(Path library, String tokenLabel, char[] pin) {
        return new CaSettings(new CaKeyLocation.HsmToken(library, tokenLabel, pin), null, null, null, null);
    }

    public CaSettings withKeyType(CaKeyType type) {
        return new CaSettings(keyLocation, type, subjects, lifetimes, urls);
    }

    public CaSettings withSubjects(CaSubjects names) {
        return new CaSettings(keyLocation, keyType, names, lifetimes, urls);
    }

    public CaSettings withLifetimes(CaLifetimes durations) {
        return new CaSettings(keyLocation, keyType, subjects, durations, urls);
    }

    public CaSettings withUrls(PublicationUrls publication) {
        return new CaSettings(keyLocation, keyType, subjects, lifetimes, publication);
    }
}
