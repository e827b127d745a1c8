package org.cardrenew.e2e;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cardrenew.agent.cli.CardRenewCommand;
import org.cardrenew.ca.CertificateAuthority;
import org.cardrenew.pkcs11.Pkcs11Library;
import org.cardrenew.protocol.ApiPaths;
import org.cardrenew.server.CardRenewServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/ARCHITECTURE.md as it holds today, checked on the compiled classes of every module (this
 * module sees them all). A rule that stops holding fails the build with the offending dependency named.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        // The modules' own class folders (or jars), found through one class of each: scanning the whole test
        // class path for our packages would read every jar of Spring and Selenium too.
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(Stream.of(
                                ApiPaths.class,
                                Pkcs11Library.class,
                                CertificateAuthority.class,
                                CardRenewServer.class,
                                CardRenewCommand.class)
                        .map(c -> Location.of(
                                c.getProtectionDomain().getCodeSource().getLocation()))
                        .collect(Collectors.toSet()));
        // A rule over no classes would pass whatever the code does.
        assertThat(classes.contain(CardRenewServer.class)
                        && classes.contain("db.migration.V5__audit_append_only")
                        && classes.contain(ApiPaths.class)
                        && classes.contain(CardRenewCommand.class)
                        && classes.contain(Pkcs11Library.class))
                .isTrue();
    }

    @Test
    void theProtocolDependsOnNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("org.cardrenew.protocol..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("org.cardrenew..").and(not(resideInAPackage("org.cardrenew.protocol.."))))
                .because("the wire types and client are shared by the agent and the server and must stand alone")
                .check(classes);
    }

    @Test
    void theAgentKnowsTheServerOnlyThroughTheProtocol() {
        noClasses()
                .that()
                .resideInAPackage("org.cardrenew.agent..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.cardrenew.server..", "org.cardrenew.ca..")
                .because("the agent runs on the holder's PC and talks to the server only over the RA API")
                .check(classes);
    }

    @Test
    void onlyThePkcs11ModuleReachesTheJdksInternalWrapper() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.cardrenew.pkcs11..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("sun.security.pkcs11..")
                .because("JDK internals are linked in one module only, so every other module compiles with release 17"
                        + " and one place follows the wrapper across JDK updates (docs/ARCHITECTURE.md, PKCS#11 layer)")
                .check(classes);
    }

    @Test
    void thePkcs11ModuleDependsOnNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("org.cardrenew.pkcs11..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage("org.cardrenew..").and(not(resideInAPackage("org.cardrenew.pkcs11.."))))
                .because("the CA's HSM and the holder's card share it: it knows tokens, not renewals")
                .check(classes);
    }

    @Test
    void onlyTheStoreSpeaksSql() {
        noClasses()
                .that()
                .resideOutsideOfPackages("org.cardrenew.server.store..", "db.migration..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..")
                .because("only the store component touches the database (docs/ARCHITECTURE.md)")
                .check(classes);
    }

    @Test
    void theRaReachesTheCaOnlyThroughItsContracts() {
        noClasses()
                .that()
                .resideInAPackage("org.cardrenew.server.ra..")
                .should()
                .dependOnClassesThat(assignableTo(CertificateAuthority.class).and(not(INTERFACES)))
                .because("a remote CA back end must fit without touching the RA (STYLE.md)")
                .check(classes);
    }

    @Test
    void onlyTheCaConfigurationKnowsTheEmbeddedCa() {
        noClasses()
                .that()
                .resideInAPackage("org.cardrenew.server..")
                .and()
                .resideOutsideOfPackage("org.cardrenew.server.config..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.cardrenew.ca.EmbeddedCa")
                .because(
                        "the server uses the CA's capabilities as beans (CertificateAuthority, CrlIssuer, OcspResponder,"
                                + " TlsServerCertificateIssuer), so a remote CA back end can offer them or not")
                .check(classes);
    }

    @Test
    void theCaKnowsNothingOfTheServer() {
        noClasses()
                .that()
                .resideInAPackage("org.cardrenew.ca..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.cardrenew.server..", "org.cardrenew.agent..", "org.springframework..", "java.sql..")
                .because("the CA is its own security boundary: BouncyCastle only, no Spring, no database")
                .check(classes);
    }
}
