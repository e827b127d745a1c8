package org.cardrenew.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sun.security.pkcs11.wrapper.PKCS11Constants;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/** The PKCS#11 numbers this module publishes are the JDK wrapper's own (typed in from v2.40, checked here). */
class CodesMatchTheJdkWrapperTest {

    static Stream<Arguments> constants() {
        return Stream.of(Cka.class, Cko.class, Ckk.class, Ckm.class, Ckf.class)
                .flatMap(type -> fields(type)
                        .map(f -> Arguments.of(Named.of(type.getSimpleName().toUpperCase() + "_" + f.getName(), f))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constants")
    void constantHasTheValueTheJdkWrapperGivesIt(Field field) throws ReflectiveOperationException {
        String name = field.getDeclaringClass().getSimpleName().toUpperCase() + "_" + field.getName();

        assertThat(field.getLong(null))
                .isEqualTo(PKCS11Constants.class.getField(name).getLong(null));
    }

    static Stream<Arguments> returnValues() {
        return fields(Ckr.class).map(f -> Arguments.of(Named.of("CKR_" + f.getName(), f)));
    }

    /** The JDK names no CKR_ constants on 17; its exception spells the name of every return value it knows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("returnValues")
    void returnValueIsTheOneTheJdkWrapperNames(Field field) throws ReflectiveOperationException {
        PKCS11Exception jdk = new PKCS11Exception(field.getLong(null), null);

        assertThat(jdk.getMessage()).startsWith("CKR_" + field.getName());
    }

    private static Stream<Field> fields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields()).filter(f -> Modifier.isStatic(f.getModifiers()));
    }
}
