package org.cardrenew.server.cmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

class CmpMessageReaderTest {

    @Test
    void anIndexFailureOfBouncyCastlesAsn1CodeIsMalformedInput() {
        // What a structure class does with a SEQUENCE shorter than it assumes.
        IndexOutOfBoundsException e =
                catchThrowableOfType(IndexOutOfBoundsException.class, () -> new DERSequence().getObjectAt(1));

        assertThat(CmpMessageReader.isMalformedStructure(e)).isTrue();
    }

    @Test
    void anIndexFailureOfOurOwnCodeIsABug() {
        int[] none = new int[0];
        IndexOutOfBoundsException e = catchThrowableOfType(IndexOutOfBoundsException.class, () -> read(none));

        assertThat(CmpMessageReader.isMalformedStructure(e)).isFalse();
    }

    @Test
    void otherFailuresOfTheLibraryAreBugs() {
        assertThat(CmpMessageReader.isMalformedStructure(new NullPointerException()))
                .isFalse();
        assertThat(CmpMessageReader.isMalformedStructure(new UnsupportedOperationException()))
                .isFalse();
    }

    private static int read(int[] values) {
        return values[1];
    }
}
