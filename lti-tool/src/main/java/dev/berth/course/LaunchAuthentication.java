package dev.berth.course;

import java.io.Serial;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A Berth session opened by a valid LTI launch. */
public final class LaunchAuthentication extends AbstractAuthenticationToken {

    @Serial
    private static final long serialVersionUID = 1L;

    private final LaunchUser user;

    public LaunchAuthentication(LaunchUser user) {
        super(List.of(new SimpleGrantedAuthority("ROLE_LTI_USER")));
        this.user = user;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public LaunchUser getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return "person:" + user.personId();
    }
}
