package dev.berth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The boundaries of docs/architecture.md, each with its reason. */
class ArchitectureTests {

    private static final JavaClasses BERTH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth");

    @Test
    void ltiProtocolCodeKnowsNothingOfCoursesOrWorkspaces() {
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage("dev.berth.lti..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.berth.course..",
                        "dev.berth.assignment..",
                        "dev.berth.launch..",
                        "dev.berth.admin..",
                        "dev.berth.workspace..",
                        "dev.berth.provisioning..")
                .because("the LTI protocol is reusable on its own; Berth's model plugs in through LaunchHandler");
        rule.check(BERTH);
    }

    @Test
    void onlyTheLtiWebEdgeTouchesTheServletApi() {
        noClasses()
                .that()
                .resideInAPackage("dev.berth.lti")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..")
                .because("protocol rules are tested without HTTP; lti.web converts requests into values")
                .check(BERTH);
    }

    @Test
    void provisioningKnowsNothingOfLti() {
        noClasses()
                .that()
                .resideInAPackage("dev.berth.provisioning..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.berth.lti..", "dev.berth.course..", "dev.berth.assignment..")
                .because("workspaces are provisioned the same way whoever asks for them")
                .check(BERTH);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.berth.(*)..")
                .should()
                .beFreeOfCycles()
                .because("a cycle makes two features one")
                .check(BERTH);
    }

    @Test
    void theAwsSdkStaysInTheEcsBackend() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.berth.provisioning.ecs..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .because("only the ecs backend talks to AWS; everything else goes through the backend SPI")
                .allowEmptyShould(true)
                .check(BERTH);
    }

    @Test
    void timeIsReadOnlyThroughTheInjectedClock() {
        noClasses()
                .that()
                .doNotHaveSimpleName("ClockConfiguration")
                .should()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(java.time.LocalDateTime.class, "now")
                .orShould()
                .callMethod(java.time.OffsetDateTime.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .because("tests move a Clock instead of sleeping (TTLs, idle timeouts, retries)")
                .check(BERTH);
    }

    @Test
    void mainCodeNeverSleeps() {
        noClasses()
                .should()
                .callMethod(Thread.class, "sleep", long.class)
                .because("waiting is scheduled, never a blocked thread")
                .check(BERTH);
    }
}
