package dev.berth.course;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.csrf.DefaultCsrfToken;

class LaunchSessionCodecTests {

    private final ConversionService codec = new LaunchSessionCodec().springSessionConversionService();

    private static SecurityContext launchSession(String displayName) {
        return new SecurityContextImpl(new LaunchAuthentication(new LaunchUser(
                42L,
                7L,
                displayName,
                Map.of(100L, CourseRole.STAFF, 101L, CourseRole.LEARNER, 102L, CourseRole.NONE))));
    }

    private Object roundTrip(Object value) {
        return codec.convert(codec.convert(value, byte[].class), Object.class);
    }

    @Test
    void aLaunchSessionIsStoredCompactlyAndReadBackWithItsPersonPlatformNameAndRoles() {
        SecurityContext context = launchSession("Ada Lovelace");

        byte[] stored = codec.convert(context, byte[].class);
        SecurityContext read = (SecurityContext) codec.convert(stored, Object.class);

        assertThat(stored.length)
                .as("a few dozen bytes, not a kilobyte of Java serialization")
                .isLessThan(120)
                .isLessThan(new SerializingConverter().convert(context).length / 5);
        LaunchAuthentication authentication = (LaunchAuthentication) read.getAuthentication();
        assertThat(authentication.getPrincipal())
                .isEqualTo(((LaunchAuthentication) context.getAuthentication()).getPrincipal());
        assertThat(authentication.isAuthenticated()).isTrue();
        assertThat(authentication.getName()).isEqualTo("person:42");
        assertThat(authentication.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_LTI_USER");
    }

    @Test
    void aPersonWithoutANameSurvivesTheRoundTrip() {
        LaunchUser user = ((LaunchAuthentication)
                        ((SecurityContext) roundTrip(launchSession(null))).getAuthentication())
                .getPrincipal();

        assertThat(user.displayName()).isNull();
        assertThat(user.roleIn(101L)).isEqualTo(CourseRole.LEARNER);
    }

    @Test
    void otherAttributesAndOtherLoginsKeepJavaSerialization() {
        DefaultCsrfToken csrf = new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "token-value");
        SecurityContext admin = new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
                "admin", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));

        assertThat(((DefaultCsrfToken) roundTrip(csrf)).getToken()).isEqualTo("token-value");
        assertThat(((SecurityContext) roundTrip(admin)).getAuthentication().getName())
                .isEqualTo("admin");
        assertThat(codec.convert(admin, byte[].class)).startsWith((byte) 0xAC, (byte) 0xED);
    }

    @Test
    void aLaunchSessionStoredWithJavaSerializationBeforeIsStillRead() {
        byte[] before = new SerializingConverter().convert(launchSession("Grace Hopper"));

        SecurityContext read = (SecurityContext) codec.convert(before, Object.class);

        assertThat(((LaunchAuthentication) read.getAuthentication())
                        .getPrincipal()
                        .displayName())
                .isEqualTo("Grace Hopper");
    }

    @Test
    void aDamagedOrLaterCompactFormReadsAsNoLoginRatherThanFailingEveryPage() {
        byte[] stored = codec.convert(launchSession("Ada Lovelace"), byte[].class);
        byte[] truncated = java.util.Arrays.copyOf(stored, 12);
        byte[] later = stored.clone();
        later[1] = 2;

        assertThat(codec.convert(truncated, Object.class)).isNull();
        assertThat(codec.convert(later, Object.class)).isNull();
    }
}
