package dev.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class SessionConfigurationTests {

    private static MockHttpServletRequest withQuery(String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/courses/1");
        request.setQueryString(query);
        return request;
    }

    @Test
    void sessionIdIsReadFromTheQueryString() {
        assertThat(SessionConfiguration.fromQuery(withQuery("assignment=3&bsid=abc-123")))
                .isEqualTo("abc-123");
    }

    @Test
    void malformedSessionParameterMeansNoSessionNotAnError() {
        assertThat(SessionConfiguration.fromQuery(withQuery("bsid=%zz"))).isNull();
    }

    @Test
    void sessionIdInAFormBodyIsIgnored() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/lti/launch");
        request.setParameter("bsid", "from-the-body");

        assertThat(SessionConfiguration.fromQuery(request)).isNull();
    }

    @Test
    void linksOfAPageServedWithoutTheCookieKeepTheSession() {
        assertThat(SessionConfiguration.SessionUrlFilter.withSession("s1", "/courses/1?assignment=2#top"))
                .isEqualTo("/courses/1?assignment=2&bsid=s1#top");
        assertThat(SessionConfiguration.SessionUrlFilter.withSession("s1", "https://elsewhere.example/"))
                .as("never handed to another site")
                .isEqualTo("https://elsewhere.example/");
    }
}
