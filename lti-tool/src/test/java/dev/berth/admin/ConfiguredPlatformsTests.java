package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.berth.lti.PlatformDraft;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

class ConfiguredPlatformsTests {

    private static LocalValidatorFactoryBean validator;
    private static PlatformValidation validation;

    @BeforeAll
    static void validator() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages");
        messages.setAlwaysUseMessageFormat(true);
        validator = new LocalValidatorFactoryBean();
        validator.setValidationMessageSource(messages);
        validator.afterPropertiesSet();
        validation = new PlatformValidation(validator);
    }

    @AfterAll
    static void close() {
        validator.close();
    }

    @Test
    void validEntriesBecomeDraftsWithTheirDefaults() {
        List<PlatformDraft> drafts = ConfiguredPlatforms.drafts(properties(moodle("a")), validation);

        assertThat(drafts).singleElement().satisfies(draft -> {
            assertThat(draft.clientId()).isEqualTo("a");
            assertThat(draft.enabled()).isTrue();
            assertThat(draft.deploymentIds()).containsExactly("1");
        });
    }

    @Test
    void anInvalidEntryFailsNamingTheEntryThePropertyAndTheRule() {
        PlatformsProperties.ConfiguredPlatform broken = new PlatformsProperties.ConfiguredPlatform(
                "Broken Moodle",
                "moodle.example.edu",
                "b",
                "moodle",
                "https://moodle.example.edu/mod/lti/auth.php",
                "https://moodle.example.edu/mod/lti/token.php",
                "https://moodle.example.edu/mod/lti/certs.php",
                null,
                List.of(),
                List.of(),
                true);

        assertThatExceptionOfType(InvalidPlatformConfigurationException.class)
                .isThrownBy(() -> ConfiguredPlatforms.drafts(properties(moodle("a"), broken), validation))
                .satisfies(e -> assertThat(e.problems())
                        .containsExactly(
                                "berth.platforms[1] (Broken Moodle) deployment-ids: must list at least one deployment ID",
                                "berth.platforms[1] (Broken Moodle) issuer: must be an http:// or https:// URL"));
    }

    @Test
    void twoEntriesForTheSameIssuerAndClientIdFail() {
        assertThatExceptionOfType(InvalidPlatformConfigurationException.class)
                .isThrownBy(() -> ConfiguredPlatforms.drafts(properties(moodle("a"), moodle("a")), validation))
                .withMessageContaining(
                        "berth.platforms[1] (Moodle a) repeats the issuer and client-id of berth.platforms[0]");
    }

    @Test
    void anInvalidConfigurationIsReportedAsAStartupFailureThatSaysWhatToFix() {
        InvalidPlatformConfigurationException invalid = new InvalidPlatformConfigurationException(
                List.of("berth.platforms[0] issuer: must be an http:// or https:// URL"));

        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation()
                        .load(
                                org.springframework.boot.diagnostics.FailureAnalyzer.class,
                                // Boot's own analyzers need constructor arguments only a running application has.
                                org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler.handleMessage(
                                        (message, failure) -> {})))
                .as("the analyzer is registered in META-INF/spring.factories")
                .anyMatch(analyzer -> analyzer instanceof InvalidPlatformConfigurationFailureAnalyzer);
        org.springframework.boot.diagnostics.FailureAnalysis analysis =
                new InvalidPlatformConfigurationFailureAnalyzer().analyze(new IllegalStateException("start", invalid));
        assertThat(analysis.getDescription()).contains("berth.platforms[0] issuer: must be an http:// or https:// URL");
        assertThat(analysis.getAction()).contains("Correct these berth.platforms entries");
    }

    private static PlatformsProperties properties(PlatformsProperties.ConfiguredPlatform... platforms) {
        return new PlatformsProperties(List.of(platforms));
    }

    private static PlatformsProperties.ConfiguredPlatform moodle(String clientId) {
        return new PlatformsProperties.ConfiguredPlatform(
                "Moodle " + clientId,
                "https://moodle.example.edu",
                clientId,
                "moodle",
                "https://moodle.example.edu/mod/lti/auth.php",
                "https://moodle.example.edu/mod/lti/token.php",
                "https://moodle.example.edu/mod/lti/certs.php",
                null,
                List.of(),
                List.of("1"),
                true);
    }
}
